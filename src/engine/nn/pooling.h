#pragma once
// nn.MaxPool2d and nn.AvgPool2d. Sizes take an int or a tuple of two ints and print as given,
// as PyTorch keeps them; stride None means kernel_size.

#include "engine/nn/module.h"

#include <array>

namespace nnscope::nn {

class MaxPool2d final : public Module {
public:
    explicit MaxPool2d(const Value& kernel_size, const Value& stride = Value(),
                       const Value& padding = 0, const Value& dilation = 1,
                       bool return_indices = false, bool ceil_mode = false);
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;

private:
    Value kernel_size_, stride_, padding_, dilation_; // as given, for repr
    std::array<std::int64_t, 2> kernel_, step_, pad_, dil_;
    bool ceil_mode_;
};

class AvgPool2d final : public Module {
public:
    explicit AvgPool2d(const Value& kernel_size, const Value& stride = Value(),
                       const Value& padding = 0, bool ceil_mode = false,
                       bool count_include_pad = true, const Value& divisor_override = Value());
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;

private:
    Value kernel_size_, stride_, padding_; // as given, for repr
    std::array<std::int64_t, 2> kernel_, step_, pad_;
    bool ceil_mode_;
    bool count_include_pad_;
    Value divisor_override_;
};

} // namespace nnscope::nn
