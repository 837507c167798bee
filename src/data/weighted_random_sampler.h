#pragma once
// WeightedRandomSampler: torch.multinomial over float64 weights.

#include "data/sampler.h"
#include "engine/tensor.h"

namespace nnscope::data {

class WeightedRandomSampler : public Sampler {
public:
    WeightedRandomSampler(const std::vector<double>& weights, std::int64_t num_samples,
                          bool replacement = true, GeneratorPtr generator = nullptr);
    std::int64_t size() const override { return num_samples_; }
    std::vector<std::int64_t> indices() override;

private:
    Tensor weights_; // float64, 1-D
    std::int64_t num_samples_;
    bool replacement_;
    GeneratorPtr generator_;
};

} // namespace nnscope::data
