#pragma once
// BatchSampler: groups another sampler's indices into lists of batch_size.

#include "data/sampler.h"

namespace nnscope::data {

class BatchSampler {
public:
    // Throws "batch_size should be a positive integer value, but got batch_size=...".
    BatchSampler(SamplerPtr sampler, std::int64_t batch_size, bool drop_last);
    std::int64_t size() const; // len(batch_sampler)
    std::vector<std::vector<std::int64_t>> batches();
    std::int64_t batch_size() const { return batch_size_; }
    bool drop_last() const { return drop_last_; }
    const SamplerPtr& sampler() const { return sampler_; }

private:
    SamplerPtr sampler_;
    std::int64_t batch_size_;
    bool drop_last_;
};

using BatchSamplerPtr = std::shared_ptr<BatchSampler>;

} // namespace nnscope::data
