#include "data/weighted_random_sampler.h"

#include "engine/random.h"

#include <stdexcept>
#include <string>

namespace nnscope::data {

WeightedRandomSampler::WeightedRandomSampler(const std::vector<double>& weights,
                                             std::int64_t num_samples, bool replacement,
                                             GeneratorPtr generator)
    : num_samples_(num_samples)
    , replacement_(replacement)
    , generator_(std::move(generator)) {
    if (num_samples <= 0)
        throw std::invalid_argument(
            "num_samples should be a positive integer value, but got num_samples=" +
            std::to_string(num_samples));
    weights_ =
        Tensor::from_vector(weights, {static_cast<std::int64_t>(weights.size())}, DType::Float64);
}

std::vector<std::int64_t> WeightedRandomSampler::indices() {
    return multinomial(weights_, num_samples_, replacement_, generator_or_default(generator_))
        .to_int64_vector();
}

} // namespace nnscope::data
