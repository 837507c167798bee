#pragma once
// SequentialSampler: 0, 1, ..., n - 1.

#include "data/sampler.h"

namespace nnscope::data {

class SequentialSampler : public Sampler {
public:
    explicit SequentialSampler(std::int64_t data_size);
    std::int64_t size() const override { return n_; }
    std::vector<std::int64_t> indices() override;

private:
    std::int64_t n_;
};

} // namespace nnscope::data
