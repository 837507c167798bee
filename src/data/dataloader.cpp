#include "data/dataloader.h"

#include "data/dataloader_iterator.h"
#include "data/random_sampler.h"
#include "data/sequential_sampler.h"

#include <stdexcept>
#include <thread>

namespace nnscope::data {

DataLoader::DataLoader(DatasetPtr dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset))
    , options_(std::move(options)) {
    auto& o = options_;
    if (!dataset_) throw std::invalid_argument("DataLoader: dataset is null");
    // The checks in the order DataLoader.__init__ makes them.
    if (o.num_workers < 0)
        throw std::invalid_argument("num_workers option should be non-negative; use "
                                    "num_workers=0 to disable multiprocessing.");
    if (o.timeout < 0) throw std::invalid_argument("timeout option should be non-negative");
    if (o.num_workers == 0 && o.prefetch_factor != 2)
        throw std::invalid_argument("prefetch_factor option could only be specified in "
                                    "multiprocessing.let num_workers > 0 to enable "
                                    "multiprocessing.");
    if (o.prefetch_factor <= 0)
        throw std::invalid_argument("prefetch_factor should be positive, got " +
                                    std::to_string(o.prefetch_factor));
    if (o.persistent_workers && o.num_workers == 0)
        throw std::invalid_argument("persistent_workers option needs num_workers > 0");
    if (o.sampler && o.shuffle)
        throw std::invalid_argument("sampler option is mutually exclusive with shuffle");
    if (o.batch_sampler) {
        if (o.batch_size != std::optional<std::int64_t>(1) || o.shuffle || o.sampler || o.drop_last)
            throw std::invalid_argument("batch_sampler option is mutually exclusive with "
                                        "batch_size, shuffle, sampler, and drop_last");
        o.batch_size.reset();
        o.drop_last = false;
    } else if (!o.batch_size && o.drop_last) {
        throw std::invalid_argument("batch_size=None option disables auto-batching and is "
                                    "mutually exclusive with drop_last");
    }
    sampler_ = o.sampler;
    if (!sampler_) {
        if (o.shuffle)
            sampler_ =
                std::make_shared<RandomSampler>(dataset_->size(), false, std::nullopt, o.generator);
        else
            sampler_ = std::make_shared<SequentialSampler>(dataset_->size());
    }
    batch_sampler_ = o.batch_sampler;
    if (o.batch_size && !batch_sampler_)
        batch_sampler_ = std::make_shared<BatchSampler>(sampler_, *o.batch_size, o.drop_last);
    if (!o.collate_fn) {
        if (batch_sampler_)
            o.collate_fn = default_collate;
        else
            o.collate_fn = default_convert;
    }
    if (o.pin_memory)
        warnings_.push_back("pin_memory=True has no effect: nnscope runs on the CPU only, there "
                            "is no GPU memory to pin for");
    const unsigned cpus = std::thread::hardware_concurrency();
    if (cpus > 0 && static_cast<unsigned>(o.num_workers) > cpus)
        warnings_.push_back("This DataLoader will create " + std::to_string(o.num_workers) +
                            " worker threads in total. Our suggested max number of worker in "
                            "current system is " +
                            std::to_string(cpus) +
                            ", which is smaller than what this "
                            "DataLoader is going to create.");
}

DataLoader::~DataLoader() = default;

std::int64_t DataLoader::size() const {
    return batch_sampler_ ? batch_sampler_->size() : sampler_->size();
}

std::shared_ptr<DataLoaderIterator> DataLoader::iter() {
    if (options_.persistent_workers && options_.num_workers > 0) {
        if (!persistent_)
            persistent_ = std::make_shared<DataLoaderIterator>(*this);
        else
            persistent_->reset();
        return persistent_;
    }
    return std::make_shared<DataLoaderIterator>(*this);
}

} // namespace nnscope::data
