#pragma once
// nn.AdaptiveAvgPool2d(output_size): output_size is an int or a tuple of two, each an int or
// None (None keeps the input's size along that axis); it prints as given.

#include "engine/nn/module.h"

#include <array>
#include <optional>

namespace nnscope::nn {

class AdaptiveAvgPool2d final : public Module {
public:
    explicit AdaptiveAvgPool2d(const Value& output_size);
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override { return {{"output_size", output_size_}}; }
    std::string extra_repr() const override { return "output_size=" + output_size_.repr(); }

private:
    Value output_size_; // as given, for repr
    std::array<std::optional<std::int64_t>, 2> size_;
};

} // namespace nnscope::nn
