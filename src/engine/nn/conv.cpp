#include "engine/nn/conv.h"

#include "engine/nn/linear.h"
#include "engine/ops/conv.h"
#include "engine/ops/shape.h"

#include <stdexcept>

namespace nnscope::nn {

namespace {

Value pair_value(const std::array<std::int64_t, 2>& p) {
    return Value::ints({p[0], p[1]});
}

// Appends `extra` zeros at the end of spatial dim `dim`: the asymmetric part of "same" padding,
// placed on the right as PyTorch's _convolution_mode does.
Tensor pad_end(const Tensor& x, std::int64_t dim, std::int64_t extra) {
    if (extra == 0) return x;
    Shape shape = x.shape();
    shape[static_cast<std::size_t>(dim)] = extra;
    return cat({x, Tensor::zeros(shape, x.dtype())}, dim);
}

} // namespace

Conv2d::Conv2d(std::int64_t in_channels, std::int64_t out_channels, const Value& kernel_size,
               const Value& stride, const Value& padding, const Value& dilation,
               std::int64_t groups, bool bias, std::string padding_mode)
    : Module("Conv2d")
    , in_channels_(in_channels)
    , out_channels_(out_channels)
    , kernel_size_(value_to_pair(kernel_size, "Conv2d: kernel_size"))
    , stride_(value_to_pair(stride, "Conv2d: stride"))
    , dilation_(value_to_pair(dilation, "Conv2d: dilation"))
    , groups_(groups)
    , padding_mode_(std::move(padding_mode)) {
    if (groups <= 0) throw std::invalid_argument("groups must be a positive integer");
    if (in_channels % groups != 0)
        throw std::invalid_argument("in_channels must be divisible by groups");
    if (out_channels % groups != 0)
        throw std::invalid_argument("out_channels must be divisible by groups");
    if (padding.is_string()) {
        padding_string_ = padding.as_string();
        if (padding_string_ != "same" && padding_string_ != "valid")
            throw std::invalid_argument("Invalid padding string " + padding.repr() +
                                        ", should be one of {'valid', 'same'}");
        if (padding_string_ == "same" && (stride_[0] != 1 || stride_[1] != 1))
            throw std::invalid_argument("padding='same' is not supported for strided convolutions");
    } else {
        padding_ = value_to_pair(padding, "Conv2d: padding");
    }
    if (padding_mode_ != "zeros") {
        if (padding_mode_ == "reflect" || padding_mode_ == "replicate" ||
            padding_mode_ == "circular")
            throw std::invalid_argument("Conv2d: padding_mode='" + padding_mode_ +
                                        "' is not supported by nnscope (only 'zeros')");
        throw std::invalid_argument("padding_mode must be one of {'zeros', 'reflect', "
                                    "'replicate', 'circular'}, but got padding_mode='" +
                                    padding_mode_ + "'");
    }
    register_parameter("weight", Tensor::empty({out_channels, in_channels / groups, kernel_size_[0],
                                                kernel_size_[1]}));
    register_parameter("bias", bias ? Tensor::empty({out_channels}) : Tensor());
    reset_parameters();
}

void Conv2d::reset_parameters() {
    reset_weight_and_bias(weight(), bias());
}

Tensor Conv2d::forward(const Tensor& input) {
    if (padding_string_ != "same")
        return conv2d(input, weight(), bias(), stride_, padding_, dilation_, groups_);
    Tensor x = input;
    Pair left{};
    for (std::size_t i = 0; i < 2; ++i) {
        const std::int64_t total = dilation_[i] * (kernel_size_[i] - 1);
        left[i] = total / 2;
        x = pad_end(x, x.dim() - 2 + static_cast<std::int64_t>(i), total - 2 * left[i]);
    }
    return conv2d(x, weight(), bias(), stride_, left, dilation_, groups_);
}

Arguments Conv2d::arguments() const {
    return {{"in_channels", in_channels_},
            {"out_channels", out_channels_},
            {"kernel_size", pair_value(kernel_size_)},
            {"stride", pair_value(stride_)},
            {"padding", padding_string_.empty() ? pair_value(padding_) : Value(padding_string_)},
            {"dilation", pair_value(dilation_)},
            {"groups", groups_},
            {"bias", bias().defined()},
            {"padding_mode", padding_mode_}};
}

std::string Conv2d::extra_repr() const {
    std::string s = std::to_string(in_channels_) + ", " + std::to_string(out_channels_) +
                    ", kernel_size=" + pair_value(kernel_size_).repr() +
                    ", stride=" + pair_value(stride_).repr();
    if (!padding_string_.empty())
        s += ", padding=" + padding_string_;
    else if (padding_ != Pair{0, 0})
        s += ", padding=" + pair_value(padding_).repr();
    if (dilation_ != Pair{1, 1}) s += ", dilation=" + pair_value(dilation_).repr();
    if (groups_ != 1) s += ", groups=" + std::to_string(groups_);
    if (!bias().defined()) s += ", bias=False";
    return s;
}

} // namespace nnscope::nn
