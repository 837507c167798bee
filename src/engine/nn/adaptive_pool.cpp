#include "engine/nn/adaptive_pool.h"

#include "engine/ops/adaptive_pool.h"

#include <stdexcept>

namespace nnscope::nn {

namespace {

std::optional<std::int64_t> size_entry(const Value& v, const Value& whole) {
    if (v.is_none()) return std::nullopt;
    if (!v.is_int() || v.is_bool())
        throw std::invalid_argument(
            "AdaptiveAvgPool2d: output_size must be an int or a tuple of 2 ints or None, got " +
            whole.repr());
    return v.as_int();
}

} // namespace

AdaptiveAvgPool2d::AdaptiveAvgPool2d(const Value& output_size)
    : Module("AdaptiveAvgPool2d")
    , output_size_(output_size) {
    if (output_size.is_list()) {
        const auto& items = output_size.as_list();
        if (items.size() != 2)
            throw std::invalid_argument("AdaptiveAvgPool2d: output_size must have 2 entries, got " +
                                        output_size.repr());
        size_ = {size_entry(items[0], output_size), size_entry(items[1], output_size)};
    } else {
        const auto n = size_entry(output_size, output_size);
        size_ = {n, n};
    }
}

Tensor AdaptiveAvgPool2d::forward(const Tensor& input) {
    if (input.dim() != 3 && input.dim() != 4)
        throw std::invalid_argument("AdaptiveAvgPool2d: expected a 3-D or 4-D input, got " +
                                    shape_to_string(input.shape()));
    const auto n = static_cast<std::size_t>(input.dim());
    return adaptive_avg_pool2d(
        input, {size_[0].value_or(input.shape()[n - 2]), size_[1].value_or(input.shape()[n - 1])});
}

} // namespace nnscope::nn
