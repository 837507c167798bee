#include "data/distributed_sampler.h"

#include "engine/random.h"

#include <numeric>
#include <stdexcept>
#include <string>

namespace nnscope::data {

DistributedSampler::DistributedSampler(std::int64_t data_size, std::int64_t num_replicas,
                                       std::int64_t rank, bool shuffle, std::int64_t seed,
                                       bool drop_last)
    : n_(data_size)
    , num_replicas_(num_replicas)
    , rank_(rank)
    , shuffle_(shuffle)
    , seed_(seed)
    , drop_last_(drop_last) {
    if (rank >= num_replicas || rank < 0)
        throw std::invalid_argument("Invalid rank " + std::to_string(rank) +
                                    ", rank should be in the interval [0, " +
                                    std::to_string(num_replicas - 1) + "]");
    // math.ceil of a true division; with drop_last the tail that does not fill a round is cut.
    auto ceil_div = [](std::int64_t a, std::int64_t b) {
        return a >= 0 ? (a + b - 1) / b : -((-a) / b);
    };
    num_samples_ = drop_last && n_ % num_replicas != 0 ? ceil_div(n_ - num_replicas, num_replicas)
                                                       : ceil_div(n_, num_replicas);
}

std::vector<std::int64_t> DistributedSampler::epoch_list() const {
    std::vector<std::int64_t> all;
    if (shuffle_) {
        Generator gen(static_cast<std::uint64_t>(seed_ + epoch_));
        all = randperm(n_, gen).to_int64_vector();
    } else {
        all.resize(static_cast<std::size_t>(n_));
        std::iota(all.begin(), all.end(), std::int64_t{0});
    }
    const auto total = static_cast<std::size_t>(total_size());
    if (!drop_last_) {
        if (all.empty() && total > 0)
            throw std::invalid_argument("DistributedSampler: cannot pad an empty dataset");
        // Padding repeats the list from its start as often as needed.
        all.reserve(total);
        for (std::size_t i = 0; all.size() < total; ++i)
            all.push_back(all[i]);
    }
    return all;
}

std::vector<std::int64_t> DistributedSampler::indices() {
    const auto all = epoch_list();
    const auto total = static_cast<std::size_t>(total_size());
    std::vector<std::int64_t> out;
    out.reserve(static_cast<std::size_t>(num_samples_));
    for (std::size_t i = static_cast<std::size_t>(rank_); i < total;
         i += static_cast<std::size_t>(num_replicas_))
        out.push_back(all[i]);
    return out;
}

} // namespace nnscope::data
