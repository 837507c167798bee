#include "workflows/loader_analysis.h"

#include "data/mnist.h"
#include "workflows/loader_simulation.h"

#include <algorithm>
#include <set>

namespace nnscope::workflows {

std::int64_t LoaderAnalysis::batches() const {
    std::int64_t n = 0;
    for (const auto& e : epochs)
        n += static_cast<std::int64_t>(e.batch_sizes.size());
    return n;
}

LoaderAnalysisPtr analyse_loader(const data::DataLoaderConfig& config,
                                 const std::atomic<bool>* cancel) {
    auto a = std::make_shared<LoaderAnalysis>();
    a->config = config;
    LoaderSimulation simulation(config);
    const data::Dataset& source = *simulation.loader().source;
    a->dataset = source.name();
    a->dataset_size = source.size();
    a->warnings = simulation.warnings();
    a->labels.resize(static_cast<std::size_t>(a->dataset_size), -1);
    std::int64_t classes = 0;
    bool known = true;
    for (std::int64_t i = 0; i < a->dataset_size; ++i) {
        const auto l = source.label(i);
        if (!l || *l < 0) {
            known = false;
            continue;
        }
        a->labels[static_cast<std::size_t>(i)] = *l;
        classes = std::max(classes, *l + 1);
    }
    if (const auto* images = dynamic_cast<const data::MnistDataset*>(&source))
        a->class_names = images->classes();
    if (known && classes <= LoaderAnalysis::kMaxClasses) {
        a->class_counts.assign(static_cast<std::size_t>(classes), 0);
        for (auto l : a->labels)
            ++a->class_counts[static_cast<std::size_t>(l)];
        a->drawn_per_class.assign(a->class_counts.size(), 0);
    }
    a->draw_counts.assign(static_cast<std::size_t>(a->dataset_size), 0);

    std::set<std::int64_t> seen;
    while (true) {
        if (cancel && cancel->load()) return nullptr;
        const auto batch = simulation.next();
        if (!batch) break;
        if (static_cast<std::int64_t>(a->epochs.size()) <= batch->epoch) {
            a->epochs.push_back({});
            a->epochs.back().epoch = batch->epoch;
            seen.clear();
        }
        EpochDraw& e = a->epochs.back();
        e.batch_sizes.push_back(static_cast<std::int64_t>(batch->indices.size()));
        e.worker.push_back(
            config.num_workers > 0 ? static_cast<int>(batch->batch % config.num_workers) : -1);
        for (auto i : batch->indices) {
            e.order.push_back(i);
            if (!seen.insert(i).second) ++a->duplicates;
            if (i >= 0 && i < a->dataset_size) {
                ++a->draw_counts[static_cast<std::size_t>(i)];
                const auto l = a->labels[static_cast<std::size_t>(i)];
                if (l >= 0 && static_cast<std::size_t>(l) < a->drawn_per_class.size())
                    ++a->drawn_per_class[static_cast<std::size_t>(l)];
            }
        }
    }
    a->never_drawn = std::count(a->draw_counts.begin(), a->draw_counts.end(), 0);
    return a;
}

std::vector<std::vector<std::int64_t>> batch_class_counts(const LoaderAnalysis& analysis,
                                                          std::size_t epoch) {
    std::vector<std::vector<std::int64_t>> out;
    if (epoch >= analysis.epochs.size()) return out;
    const EpochDraw& e = analysis.epochs[epoch];
    std::size_t at = 0;
    for (const auto size : e.batch_sizes) {
        std::vector<std::int64_t> counts(analysis.class_counts.size(), 0);
        for (std::int64_t k = 0; k < size; ++k, ++at) {
            const auto i = e.order[at];
            const auto l = i >= 0 && i < analysis.dataset_size
                               ? analysis.labels[static_cast<std::size_t>(i)]
                               : -1;
            if (l >= 0 && static_cast<std::size_t>(l) < counts.size())
                ++counts[static_cast<std::size_t>(l)];
        }
        out.push_back(std::move(counts));
    }
    return out;
}

} // namespace nnscope::workflows
