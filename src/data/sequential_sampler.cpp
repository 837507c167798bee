#include "data/sequential_sampler.h"

#include <numeric>
#include <stdexcept>

namespace nnscope::data {

SequentialSampler::SequentialSampler(std::int64_t data_size)
    : n_(data_size) {
    if (n_ < 0) throw std::invalid_argument("SequentialSampler: negative data size");
}

std::vector<std::int64_t> SequentialSampler::indices() {
    std::vector<std::int64_t> out(static_cast<std::size_t>(n_));
    std::iota(out.begin(), out.end(), std::int64_t{0});
    return out;
}

} // namespace nnscope::data
