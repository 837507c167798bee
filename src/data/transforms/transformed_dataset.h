#pragma once
// A dataset whose image goes through a Transform on every get(), as torchvision datasets apply
// `transform=`: the sample's tensor, or the first element of a (image, label, ...) tuple.
//
// Random parameters come from default_generator() of the thread that calls get(), the generator
// PyTorch's transforms would use: inside a DataLoader worker, that worker's generator (seeded
// base_seed + worker_id: the worker installs a DefaultGeneratorScope, as PyTorch reseeds torch's
// default generator in each worker); anywhere else, the calling job's scoped generator or the
// process-wide one that manual_seed() seeds (torch.manual_seed). See engine/generator.h.

#include "data/dataset.h"
#include "data/transforms/transform.h"

namespace nnscope::data {

class TransformedDataset : public Dataset {
public:
    TransformedDataset(DatasetPtr dataset, TransformPtr transform);
    std::int64_t size() const override { return dataset_->size(); }
    Sample get(std::int64_t index) const override;
    // Transforms change the image, never the label.
    std::optional<std::int64_t> label(std::int64_t index) const override {
        return dataset_->label(index);
    }
    std::string name() const override { return dataset_->name(); }

    // get() with an explicit generator, reporting what the transform drew.
    Sample get(std::int64_t index, Generator& gen, std::vector<Drawn>* drawn) const;
    const DatasetPtr& dataset() const { return dataset_; }
    const TransformPtr& transform() const { return transform_; }

private:
    DatasetPtr dataset_;
    TransformPtr transform_;
};

} // namespace nnscope::data
