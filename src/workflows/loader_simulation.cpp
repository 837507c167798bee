#include "workflows/loader_simulation.h"

#include "data/dataloader_iterator.h"

#include <set>

namespace nnscope::workflows {

namespace {

// The labels of a batch: the data set's own when it knows them (whatever the collate function
// made of the samples), else the collated label tensor or integer of (x, label) samples or of
// labels themselves, else -1.
std::vector<std::int64_t> labels_of(const data::Batch& b, const data::Dataset& d) {
    std::vector<std::int64_t> out;
    out.reserve(b.indices.size());
    for (auto i : b.indices)
        if (const auto l = d.label(i))
            out.push_back(*l);
        else
            break;
    if (out.size() == b.indices.size()) return out;
    const data::Sample& s = b.data;
    const data::Sample* label = s.is_tuple() && s.items().size() > 1 ? &s[1] : &s;
    if (label->is_tensor()) return label->tensor().to_int64_vector();
    if (label->is_int()) return {label->integer()};
    return std::vector<std::int64_t>(b.indices.size(), -1);
}

} // namespace

LoaderSimulation::LoaderSimulation(const data::DataLoaderConfig& config,
                                   data::GeneratorPtr generator)
    : epochs_(config.epochs)
    , built_(data::build_loader(config, std::move(generator))) {}

LoaderSummary LoaderSimulation::run() {
    LoaderSummary s;
    s.dataset = built_.source->name();
    s.dataset_size = built_.source->size();
    s.epochs = epochs_;
    s.warnings = warnings();
    for (std::int64_t e = 0; e < epochs_ && s.complete; ++e) {
        std::set<std::int64_t> seen;
        auto it = built_.start_epoch(e);
        LoaderBatch lb{e, 0, {}, {}};
        while (true) {
            if (cancelled && cancelled()) {
                s.complete = false;
                break;
            }
            auto batch = it->next();
            if (!batch) break;
            lb.labels = labels_of(*batch, *built_.source);
            lb.indices = std::move(batch->indices);
            for (auto i : lb.indices)
                if (!seen.insert(i).second) ++s.duplicates;
            for (auto l : lb.labels)
                ++s.per_class[l];
            s.samples += static_cast<std::int64_t>(lb.indices.size());
            ++s.batches;
            if (on_batch) on_batch(lb);
            ++lb.batch;
        }
    }
    return s;
}

} // namespace nnscope::workflows
