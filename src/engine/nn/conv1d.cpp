#include "engine/nn/conv1d.h"

#include "engine/nn/conv.h"
#include "engine/nn/linear.h"
#include "engine/ops/conv.h"
#include "engine/ops/pad.h"

#include <stdexcept>

namespace nnscope::nn {

namespace {

// An int or a tuple of one int, as _single accepts.
std::int64_t value_to_single(const Value& v, const std::string& what) {
    if (v.is_int()) return v.as_int();
    if (v.is_list() && v.as_list().size() == 1 && v.as_list()[0].is_int())
        return v.as_list()[0].as_int();
    throw std::invalid_argument(what + " must be an int or a tuple of 1 int, got " + v.type_name() +
                                " " + v.repr());
}

std::string single_repr(std::int64_t v) {
    return Value::ints({v}).repr();
}

} // namespace

Conv1d::Conv1d(std::int64_t in_channels, std::int64_t out_channels, const Value& kernel_size,
               const Value& stride, const Value& padding, const Value& dilation,
               std::int64_t groups, bool bias, std::string padding_mode)
    : Module("Conv1d")
    , in_channels_(in_channels)
    , out_channels_(out_channels)
    , kernel_size_(value_to_single(kernel_size, "Conv1d: kernel_size"))
    , stride_(value_to_single(stride, "Conv1d: stride"))
    , dilation_(value_to_single(dilation, "Conv1d: dilation"))
    , groups_(groups)
    , padding_mode_(std::move(padding_mode)) {
    padding_string_ = check_conv_arguments(in_channels, out_channels, groups, padding, stride_ != 1,
                                           padding_mode_);
    if (padding_string_.empty()) padding_ = value_to_single(padding, "Conv1d: padding");
    register_parameter("weight", Tensor::empty({out_channels, in_channels / groups, kernel_size_}));
    register_parameter("bias", bias ? Tensor::empty({out_channels}) : Tensor());
    reset_parameters();
}

void Conv1d::reset_parameters() {
    reset_weight_and_bias(weight(), bias());
}

std::vector<std::int64_t> Conv1d::reversed_padding_repeated_twice() const {
    if (padding_string_ == "valid") return {0, 0};
    if (padding_string_ != "same") return {padding_, padding_};
    const std::int64_t total = dilation_ * (kernel_size_ - 1);
    return {total / 2, total - total / 2};
}

Tensor Conv1d::forward(const Tensor& input) {
    const std::vector<std::int64_t> pads = reversed_padding_repeated_twice();
    if (padding_mode_ != "zeros")
        return conv1d(pad(input, pads, pad_mode_from_name(padding_mode_)), weight(), bias(),
                      stride_, 0, dilation_, groups_);
    // Zeros: the symmetric part inside the convolution, the odd rest of "same" appended at the
    // end by constant_pad_nd, as PyTorch's _convolution_mode does.
    const Tensor x = pads[1] != pads[0] ? pad(input, {0, pads[1] - pads[0]}) : input;
    return conv1d(x, weight(), bias(), stride_, pads[0], dilation_, groups_);
}

Arguments Conv1d::arguments() const {
    return {{"in_channels", in_channels_},
            {"out_channels", out_channels_},
            {"kernel_size", Value::ints({kernel_size_})},
            {"stride", Value::ints({stride_})},
            {"padding", padding_string_.empty() ? Value::ints({padding_}) : Value(padding_string_)},
            {"dilation", Value::ints({dilation_})},
            {"groups", groups_},
            {"bias", bias().defined()},
            {"padding_mode", padding_mode_}};
}

std::string Conv1d::extra_repr() const {
    std::string s = std::to_string(in_channels_) + ", " + std::to_string(out_channels_) +
                    ", kernel_size=" + single_repr(kernel_size_) +
                    ", stride=" + single_repr(stride_);
    if (!padding_string_.empty())
        s += ", padding=" + padding_string_;
    else if (padding_ != 0)
        s += ", padding=" + single_repr(padding_);
    if (dilation_ != 1) s += ", dilation=" + single_repr(dilation_);
    if (groups_ != 1) s += ", groups=" + std::to_string(groups_);
    if (!bias().defined()) s += ", bias=False";
    if (padding_mode_ != "zeros") s += ", padding_mode=" + padding_mode_;
    return s;
}

} // namespace nnscope::nn
