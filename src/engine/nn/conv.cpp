#include "engine/nn/conv.h"

#include "engine/nn/linear.h"
#include "engine/ops/conv.h"
#include "engine/ops/pad.h"

#include <stdexcept>

namespace nnscope::nn {

namespace {

Value pair_value(const std::array<std::int64_t, 2>& p) {
    return Value::ints({p[0], p[1]});
}

} // namespace

std::string check_conv_arguments(std::int64_t in_channels, std::int64_t out_channels,
                                 std::int64_t groups, const Value& padding, bool strided,
                                 const std::string& padding_mode) {
    if (groups <= 0) throw std::invalid_argument("groups must be a positive integer");
    if (in_channels % groups != 0)
        throw std::invalid_argument("in_channels must be divisible by groups");
    if (out_channels % groups != 0)
        throw std::invalid_argument("out_channels must be divisible by groups");
    std::string padding_string;
    if (padding.is_string()) {
        padding_string = padding.as_string();
        if (padding_string != "same" && padding_string != "valid")
            throw std::invalid_argument("Invalid padding string " + padding.repr() +
                                        ", should be one of {'valid', 'same'}");
        if (padding_string == "same" && strided)
            throw std::invalid_argument("padding='same' is not supported for strided convolutions");
    }
    if (padding_mode != "zeros" && padding_mode != "reflect" && padding_mode != "replicate" &&
        padding_mode != "circular")
        throw std::invalid_argument("padding_mode must be one of {'zeros', 'reflect', "
                                    "'replicate', 'circular'}, but got padding_mode='" +
                                    padding_mode + "'");
    return padding_string;
}

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
    padding_string_ = check_conv_arguments(in_channels, out_channels, groups, padding,
                                           stride_ != Pair{1, 1}, padding_mode_);
    if (padding_string_.empty()) padding_ = value_to_pair(padding, "Conv2d: padding");
    register_parameter("weight", Tensor::empty({out_channels, in_channels / groups, kernel_size_[0],
                                                kernel_size_[1]}));
    register_parameter("bias", bias ? Tensor::empty({out_channels}) : Tensor());
    reset_parameters();
}

void Conv2d::reset_parameters() {
    reset_weight_and_bias(weight(), bias());
}

// PyTorch's _reversed_padding_repeated_twice: (left, right) of the last dim, then of the one
// before; "same" puts the odd part of the total on the right.
std::vector<std::int64_t> Conv2d::reversed_padding_repeated_twice() const {
    std::vector<std::int64_t> pads(4, 0);
    for (std::size_t i = 0; i < 2; ++i) {
        std::int64_t left = padding_[i], right = padding_[i];
        if (padding_string_ == "same") {
            const std::int64_t total = dilation_[i] * (kernel_size_[i] - 1);
            left = total / 2;
            right = total - left;
        } else if (padding_string_ == "valid") {
            left = right = 0;
        }
        pads[2 * (1 - i)] = left;
        pads[2 * (1 - i) + 1] = right;
    }
    return pads;
}

Tensor Conv2d::forward(const Tensor& input) {
    if (padding_mode_ != "zeros")
        return conv2d(
            pad(input, reversed_padding_repeated_twice(), pad_mode_from_name(padding_mode_)),
            weight(), bias(), stride_, {0, 0}, dilation_, groups_);
    if (padding_string_ != "same")
        return conv2d(input, weight(), bias(), stride_, padding_, dilation_, groups_);
    // Zeros with "same": the symmetric part as the convolution's own padding, the odd rest
    // appended at the end by constant_pad_nd, as PyTorch's _convolution_mode does.
    const std::vector<std::int64_t> pads = reversed_padding_repeated_twice();
    const bool odd = pads[1] != pads[0] || pads[3] != pads[2];
    const Tensor x = odd ? pad(input, {0, pads[1] - pads[0], 0, pads[3] - pads[2]}) : input;
    return conv2d(x, weight(), bias(), stride_, {pads[2], pads[0]}, dilation_, groups_);
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
    if (padding_mode_ != "zeros") s += ", padding_mode=" + padding_mode_;
    return s;
}

} // namespace nnscope::nn
