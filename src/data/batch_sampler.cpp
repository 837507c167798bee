#include "data/batch_sampler.h"

#include <stdexcept>
#include <string>

namespace nnscope::data {

BatchSampler::BatchSampler(SamplerPtr sampler, std::int64_t batch_size, bool drop_last)
    : sampler_(std::move(sampler))
    , batch_size_(batch_size)
    , drop_last_(drop_last) {
    if (batch_size <= 0)
        throw std::invalid_argument(
            "batch_size should be a positive integer value, but got batch_size=" +
            std::to_string(batch_size));
    if (!sampler_) throw std::invalid_argument("BatchSampler: sampler is null");
}

std::int64_t BatchSampler::size() const {
    const std::int64_t n = sampler_->size();
    return drop_last_ ? n / batch_size_ : (n + batch_size_ - 1) / batch_size_;
}

std::vector<std::vector<std::int64_t>> BatchSampler::batches() {
    const auto all = sampler_->indices();
    std::vector<std::vector<std::int64_t>> out;
    for (std::size_t start = 0; start < all.size();
         start += static_cast<std::size_t>(batch_size_)) {
        const std::size_t end = std::min(all.size(), start + static_cast<std::size_t>(batch_size_));
        if (drop_last_ && end - start < static_cast<std::size_t>(batch_size_)) break;
        out.emplace_back(all.begin() + static_cast<std::ptrdiff_t>(start),
                         all.begin() + static_cast<std::ptrdiff_t>(end));
    }
    return out;
}

} // namespace nnscope::data
