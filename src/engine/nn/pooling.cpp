#include "engine/nn/pooling.h"

#include "engine/ops/conv.h"

#include <stdexcept>

namespace nnscope::nn {

MaxPool2d::MaxPool2d(const Value& kernel_size, const Value& stride, const Value& padding,
                     const Value& dilation, bool return_indices, bool ceil_mode)
    : Module("MaxPool2d")
    , kernel_size_(kernel_size)
    , stride_(stride.is_none() ? kernel_size : stride)
    , padding_(padding)
    , dilation_(dilation)
    , ceil_mode_(ceil_mode) {
    if (return_indices)
        throw std::invalid_argument("MaxPool2d: return_indices=True is not supported by nnscope");
    kernel_ = value_to_pair(kernel_size_, "MaxPool2d: kernel_size");
    step_ = value_to_pair(stride_, "MaxPool2d: stride");
    pad_ = value_to_pair(padding_, "MaxPool2d: padding");
    dil_ = value_to_pair(dilation_, "MaxPool2d: dilation");
}

Tensor MaxPool2d::forward(const Tensor& input) {
    return max_pool2d(input, kernel_, step_, pad_, dil_, ceil_mode_);
}

Arguments MaxPool2d::arguments() const {
    return {{"kernel_size", kernel_size_}, {"stride", stride_},       {"padding", padding_},
            {"dilation", dilation_},       {"return_indices", false}, {"ceil_mode", ceil_mode_}};
}

std::string MaxPool2d::extra_repr() const {
    return "kernel_size=" + kernel_size_.repr() + ", stride=" + stride_.repr() +
           ", padding=" + padding_.repr() + ", dilation=" + dilation_.repr() +
           ", ceil_mode=" + (ceil_mode_ ? "True" : "False");
}

AvgPool2d::AvgPool2d(const Value& kernel_size, const Value& stride, const Value& padding,
                     bool ceil_mode, bool count_include_pad, const Value& divisor_override)
    : Module("AvgPool2d")
    , kernel_size_(kernel_size)
    , stride_(stride.is_none() ? kernel_size : stride)
    , padding_(padding)
    , ceil_mode_(ceil_mode)
    , count_include_pad_(count_include_pad)
    , divisor_override_(divisor_override) {
    kernel_ = value_to_pair(kernel_size_, "AvgPool2d: kernel_size");
    step_ = value_to_pair(stride_, "AvgPool2d: stride");
    pad_ = value_to_pair(padding_, "AvgPool2d: padding");
    if (!divisor_override_.is_none() && divisor_override_.as_int() == 0)
        throw std::invalid_argument("divisor must be not zero");
}

Tensor AvgPool2d::forward(const Tensor& input) {
    return avg_pool2d(input, kernel_, step_, pad_, ceil_mode_, count_include_pad_,
                      divisor_override_.is_none() ? 0 : divisor_override_.as_int());
}

Arguments AvgPool2d::arguments() const {
    return {{"kernel_size", kernel_size_},
            {"stride", stride_},
            {"padding", padding_},
            {"ceil_mode", ceil_mode_},
            {"count_include_pad", count_include_pad_},
            {"divisor_override", divisor_override_}};
}

std::string AvgPool2d::extra_repr() const {
    return "kernel_size=" + kernel_size_.repr() + ", stride=" + stride_.repr() +
           ", padding=" + padding_.repr();
}

} // namespace nnscope::nn
