#include "data/subset_random_sampler.h"

#include "engine/random.h"

namespace nnscope::data {

SubsetRandomSampler::SubsetRandomSampler(std::vector<std::int64_t> indices, GeneratorPtr generator)
    : indices_(std::move(indices))
    , generator_(std::move(generator)) {}

std::vector<std::int64_t> SubsetRandomSampler::indices() {
    const auto order = randperm(size(), generator_or_default(generator_)).to_int64_vector();
    std::vector<std::int64_t> out;
    out.reserve(order.size());
    for (std::int64_t i : order)
        out.push_back(indices_[static_cast<std::size_t>(i)]);
    return out;
}

} // namespace nnscope::data
