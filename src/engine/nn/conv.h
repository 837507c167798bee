#pragma once
// nn.Conv2d over NCHW (or CHW) inputs. kernel_size, stride, padding and dilation take an int or
// a tuple of two ints, as in PyTorch; padding may also be "same" (stride 1 only) or "valid".
// padding_mode "zeros" pads inside the convolution; "reflect", "replicate" and "circular" pad
// the input with F.pad first (ops/pad.h) and convolve without padding, as PyTorch does.

#include "engine/nn/module.h"

#include <array>
#include <vector>

namespace nnscope::nn {

// The checks _ConvNd.__init__ makes, with its messages (groups, channels divisible by groups, the
// padding string, padding_mode); returns the padding string, or "" when padding is not one.
std::string check_conv_arguments(std::int64_t in_channels, std::int64_t out_channels,
                                 std::int64_t groups, const Value& padding, bool strided,
                                 const std::string& padding_mode);

class Conv2d final : public Module {
public:
    Conv2d(std::int64_t in_channels, std::int64_t out_channels, const Value& kernel_size,
           const Value& stride = 1, const Value& padding = 0, const Value& dilation = 1,
           std::int64_t groups = 1, bool bias = true, std::string padding_mode = "zeros");
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;
    void reset_parameters();
    // F.pad's (left, right) pairs from the last dim backwards that padding stands for.
    std::vector<std::int64_t> reversed_padding_repeated_twice() const;

    Tensor weight() const { return parameter("weight"); }
    Tensor bias() const { return parameter("bias"); }

private:
    using Pair = std::array<std::int64_t, 2>;
    std::int64_t in_channels_;
    std::int64_t out_channels_;
    Pair kernel_size_;
    Pair stride_;
    Pair padding_{0, 0};
    std::string padding_string_; // "same" or "valid" when padding was given as a string
    Pair dilation_;
    std::int64_t groups_;
    std::string padding_mode_;
};

} // namespace nnscope::nn
