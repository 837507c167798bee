#include "workflows/loader_analysis.h"

#include "data/dataset_part.h"
#include "data/dataset_spec.h"
#include "data/loader_factory.h"
#include "data/mnist.h"
#include "data/read_cancel.h"
#include "engine/random.h"
#include "workflows/dataset_cache.h"
#include "workflows/worker_streams.h"

#include <algorithm>

namespace nnscope::workflows {

namespace {

constexpr std::size_t kCancelStride = std::size_t{1} << 14;

bool raised(const std::atomic<bool>* cancel) {
    return cancel && cancel->load(std::memory_order_relaxed);
}

// What to build: the configuration itself, but with the default collate function for a text
// data set (the tutorial's collate functions build a vocabulary from every training row, and
// collating changes no index).
data::DataLoaderConfig index_only(const data::DataLoaderConfig& config) {
    data::validate(config);
    data::DataLoaderConfig c = config;
    if (c.collate_fn != data::CollateChoice::Default &&
        data::parse_dataset_spec(c.dataset).kind == "ag-news")
        c.collate_fn = data::CollateChoice::Default;
    return c;
}

// labels, class_names, class_counts and the zeroed totals.
bool read_labels(LoaderAnalysis& a, const data::Dataset& source, const std::atomic<bool>* cancel) {
    const auto n = static_cast<std::size_t>(a.dataset_size);
    a.labels.assign(n, -1);
    std::int64_t classes = 0;
    bool known = true;
    for (std::size_t i = 0; i < n; ++i) {
        if (i % kCancelStride == 0 && raised(cancel)) return false;
        const auto l = source.label(static_cast<std::int64_t>(i));
        if (!l || *l < 0) {
            known = false;
            continue;
        }
        a.labels[i] = *l;
        classes = std::max(classes, *l + 1);
    }
    a.class_names = data::class_names(source); // through a Subset or split part too
    if (known && classes <= LoaderAnalysis::kMaxClasses) {
        a.class_counts.assign(static_cast<std::size_t>(classes), 0);
        for (auto l : a.labels)
            ++a.class_counts[static_cast<std::size_t>(l)];
        a.drawn_per_class.assign(a.class_counts.size(), 0);
    }
    a.draw_counts.assign(n, 0);
    return true;
}

// A DistributedSampler's epoch: every rank's share with its padding marks (ranks), the
// configured rank's as the epoch's order, and the tail its drop_last cut.
void draw_distributed(LoaderAnalysis& a, const data::DistributedSampler& d, EpochDraw& e) {
    const auto list = d.epoch_list();
    const auto n = static_cast<std::size_t>(a.dataset_size);
    const auto total = static_cast<std::size_t>(d.total_size());
    const auto replicas = static_cast<std::size_t>(d.num_replicas());
    if (a.ranks.empty()) {
        a.ranks.resize(replicas);
        for (std::size_t r = 0; r < replicas; ++r)
            a.ranks[r].rank = static_cast<std::int64_t>(r);
    }
    bool padded = false;
    for (std::size_t r = 0; r < replicas; ++r) {
        auto& order = a.ranks[r].order.emplace_back();
        auto& padding = a.ranks[r].padding.emplace_back();
        order.reserve(total / replicas);
        padding.reserve(total / replicas);
        for (std::size_t p = r; p < total; p += replicas) {
            order.push_back(list[p]);
            padding.push_back(p >= n ? 1 : 0);
            padded = padded || p >= n;
        }
    }
    const auto& mine = a.ranks[static_cast<std::size_t>(d.rank())];
    e.order = mine.order.back();
    if (padded) e.padding = mine.padding.back();
    if (list.size() > total)
        e.dropped.assign(list.begin() + static_cast<std::ptrdiff_t>(total), list.end());
}

// Groups the epoch's order into batches as BatchSampler does (batch_size 0: no batching, one
// index per item), moving a tail that drop_last throws away to `dropped`.
void split_batches(EpochDraw& e, std::int64_t batch_size, bool drop_last) {
    const auto size = static_cast<std::int64_t>(e.order.size());
    if (batch_size <= 0) {
        e.batch_sizes.assign(static_cast<std::size_t>(size), 1);
        return;
    }
    e.batch_sizes.assign(static_cast<std::size_t>(size / batch_size), batch_size);
    const std::int64_t tail = size % batch_size;
    if (tail == 0) return;
    if (!drop_last) {
        e.batch_sizes.push_back(tail);
        return;
    }
    const auto keep = static_cast<std::size_t>(size - tail);
    e.dropped.insert(e.dropped.end(), e.order.begin() + static_cast<std::ptrdiff_t>(keep),
                     e.order.end());
    e.order.resize(keep);
    if (!e.padding.empty()) e.padding.resize(keep);
}

// draw_counts, drawn_per_class and duplicates of one epoch; `seen` holds, per index, the last
// epoch that drew it.
bool count_epoch(LoaderAnalysis& a, const EpochDraw& e, std::vector<std::int32_t>& seen,
                 const std::atomic<bool>* cancel) {
    const auto epoch = static_cast<std::int32_t>(e.epoch);
    const auto n = static_cast<std::uint64_t>(a.dataset_size);
    for (std::size_t k = 0; k < e.order.size(); ++k) {
        if (k % kCancelStride == 0 && raised(cancel)) return false;
        const auto i = static_cast<std::uint64_t>(e.order[k]);
        if (i >= n) continue;
        if (seen[i] == epoch)
            ++a.duplicates;
        else
            seen[i] = epoch;
        ++a.draw_counts[i];
        const auto l = a.labels[i];
        if (l >= 0 && static_cast<std::size_t>(l) < a.drawn_per_class.size())
            ++a.drawn_per_class[static_cast<std::size_t>(l)];
    }
    return true;
}

} // namespace

std::int64_t LoaderAnalysis::batches() const {
    std::int64_t n = 0;
    for (const auto& e : epochs)
        n += static_cast<std::int64_t>(e.batch_sizes.size());
    return n;
}

LoaderAnalysisPtr analyse_loader(const data::DataLoaderConfig& config,
                                 const std::atomic<bool>* cancel) {
    // The default generator of a fresh interpreter, as LoaderSimulation's.
    Generator own_default;
    const data::ReadCancelScope reading(cancel); // the first open of a data set can be long
    data::BuiltLoader built =
        build_fresh_loader(index_only(config), own_default, DatasetSource::Cached);
    const DefaultGeneratorScope scope(own_default);
    auto a = std::make_shared<LoaderAnalysis>();
    a->config = config;
    const data::Dataset& source = *built.source;
    a->dataset = source.name();
    a->dataset_size = source.size();
    a->warnings = built.warnings; // the data set's part, then the loader's
    a->warnings.insert(a->warnings.end(), built.loader->warnings().begin(),
                       built.loader->warnings().end());
    if (!read_labels(*a, source, cancel)) return nullptr;

    const data::DataLoader& loader = *built.loader;
    const data::BatchSamplerPtr& batches = loader.batch_sampler();
    const data::SamplerPtr sampler = batches ? batches->sampler() : loader.sampler();
    const std::int64_t batch_size = batches ? batches->batch_size() : 0;
    const bool drop_last = batches && batches->drop_last();
    const int workers = config.num_workers;
    const bool persistent = config.persistent_workers && workers > 0;
    std::vector<std::int32_t> seen(static_cast<std::size_t>(a->dataset_size), -1);
    std::int64_t base_seed = 0;
    a->epochs.reserve(static_cast<std::size_t>(std::max<std::int64_t>(config.epochs, 0)));
    for (std::int64_t epoch = 0; epoch < config.epochs; ++epoch) {
        if (raised(cancel)) return nullptr;
        EpochDraw& e = a->epochs.emplace_back();
        e.epoch = epoch;
        // iter(loader): the base seed first (once, with persistent workers), then the sampler.
        if (built.distributed) built.distributed->set_epoch(built.sampler_epoch(epoch));
        if (epoch == 0 || !persistent)
            base_seed = random_int64(data::generator_or_default(built.generator));
        e.base_seed = base_seed;
        if (built.distributed && sampler == built.distributed)
            draw_distributed(*a, *built.distributed, e);
        else
            e.order = sampler->indices();
        split_batches(e, batch_size, drop_last);
        e.worker.resize(e.batch_sizes.size(), -1);
        if (workers > 0)
            for (std::size_t k = 0; k < e.worker.size(); ++k)
                e.worker[k] = static_cast<int>(k % static_cast<std::size_t>(workers));
        if (!count_epoch(*a, e, seen, cancel)) return nullptr;
    }
    a->never_drawn = std::count(a->draw_counts.begin(), a->draw_counts.end(), 0);
    if (workers > 0) a->workers = worker_streams(a->epochs, workers, persistent, cancel);
    if (raised(cancel)) return nullptr;
    return a;
}

std::vector<std::vector<std::int64_t>> batch_class_counts(const LoaderAnalysis& analysis,
                                                          std::size_t epoch) {
    std::vector<std::vector<std::int64_t>> out;
    if (epoch >= analysis.epochs.size()) return out;
    const EpochDraw& e = analysis.epochs[epoch];
    std::size_t at = 0;
    out.reserve(e.batch_sizes.size());
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
