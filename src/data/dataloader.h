#pragma once
// torch.utils.data.DataLoader for map-style datasets: the same argument rules and error
// messages as PyTorch 1.13, the same generator use (base seed first, then the sampler), and
// num_workers > 0 as real threads that fetch and collate whole batches, delivered in order.

#include "data/batch_sampler.h"
#include "data/collate.h"
#include "data/dataset.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::data {

struct DataLoaderOptions {
    std::optional<std::int64_t> batch_size = 1; // nullopt: no batching, one sample per item
    bool shuffle = false;
    SamplerPtr sampler;
    BatchSamplerPtr batch_sampler;
    int num_workers = 0;
    CollateFn collate_fn;    // default_collate (or default_convert without batching) when empty
    bool pin_memory = false; // accepted; no effect on a CPU-only build (see warnings())
    bool drop_last = false;
    double timeout = 0; // seconds to wait for a worker's batch; 0 waits forever
    std::function<void(int)> worker_init_fn;
    GeneratorPtr generator; // null: default_generator() of the thread that iterates
    int prefetch_factor = 2;
    bool persistent_workers = false;
};

// One item of an epoch: the dataset indices it was made from and the collated data.
struct Batch {
    std::vector<std::int64_t> indices;
    Sample data;
};

class DataLoaderIterator;

class DataLoader {
public:
    // Throws std::invalid_argument with PyTorch's message for a forbidden combination.
    DataLoader(DatasetPtr dataset, DataLoaderOptions options = {});
    ~DataLoader();

    std::int64_t size() const; // len(loader): batches per epoch
    // iter(loader): draws the base seed now. With persistent workers the same iterator comes
    // back each epoch (reset, workers kept, base seed not drawn again), as PyTorch.
    std::shared_ptr<DataLoaderIterator> iter();

    const DatasetPtr& dataset() const { return dataset_; }
    const DataLoaderOptions& options() const { return options_; }
    const SamplerPtr& sampler() const { return sampler_; }
    const BatchSamplerPtr& batch_sampler() const { return batch_sampler_; }
    // Notes PyTorch would give as warnings (pin_memory without a GPU, too many workers).
    const std::vector<std::string>& warnings() const { return warnings_; }

private:
    DatasetPtr dataset_;
    DataLoaderOptions options_;
    SamplerPtr sampler_;
    BatchSamplerPtr batch_sampler_; // null without batching
    std::vector<std::string> warnings_;
    std::shared_ptr<DataLoaderIterator> persistent_;
};

} // namespace nnscope::data
