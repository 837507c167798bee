#pragma once
// RandomSampler: a permutation of the data (repeated and cut to num_samples), or num_samples
// draws with replacement, bit for bit as PyTorch 1.13.

#include "data/sampler.h"

#include <optional>

namespace nnscope::data {

class RandomSampler : public Sampler {
public:
    // Throws std::invalid_argument "num_samples should be a positive integer value, but got
    // num_samples=..." when num_samples (default: data_size) is not positive.
    explicit RandomSampler(std::int64_t data_size, bool replacement = false,
                           std::optional<std::int64_t> num_samples = std::nullopt,
                           GeneratorPtr generator = nullptr);
    std::int64_t size() const override { return num_samples_; }
    std::vector<std::int64_t> indices() override;

private:
    std::int64_t n_;
    bool replacement_;
    std::int64_t num_samples_;
    GeneratorPtr generator_;
};

} // namespace nnscope::data
