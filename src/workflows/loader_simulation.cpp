#include "workflows/loader_simulation.h"

#include "data/dataloader_iterator.h"
#include "workflows/dataset_cache.h"

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
    : built_(build_fresh_loader(config, *default_generator_, DatasetSource::Open,
                                std::move(generator))) {
    summary_.dataset = built_.source->name();
    summary_.dataset_size = built_.source->size();
    summary_.epochs = config.epochs;
    summary_.warnings = warnings();
}

LoaderSimulation::~LoaderSimulation() = default;

std::optional<LoaderBatch> LoaderSimulation::next() {
    DefaultGeneratorScope own_default(*default_generator_);
    while (epoch_ < summary_.epochs) {
        if (!iterator_) {
            iterator_ = built_.start_epoch(epoch_);
            seen_.clear();
            batch_ = 0;
        }
        auto batch = iterator_->next();
        if (!batch) {
            iterator_.reset();
            ++epoch_;
            continue;
        }
        LoaderBatch lb{epoch_, batch_++, {}, labels_of(*batch, *built_.source)};
        lb.indices = std::move(batch->indices);
        last_data_ = std::move(batch->data);
        for (auto i : lb.indices)
            if (!seen_.insert(i).second) ++summary_.duplicates;
        for (auto l : lb.labels)
            ++summary_.per_class[l];
        summary_.samples += static_cast<std::int64_t>(lb.indices.size());
        ++summary_.batches;
        if (on_batch) on_batch(lb);
        return lb;
    }
    return std::nullopt;
}

LoaderSummary LoaderSimulation::run() {
    while (true) {
        if (cancelled && cancelled()) {
            summary_.complete = false;
            break;
        }
        if (!next()) break;
    }
    return summary_;
}

} // namespace nnscope::workflows
