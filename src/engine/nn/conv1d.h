#pragma once
// nn.Conv1d over NCL (or CL) inputs: Conv2d's rules on one spatial dim. kernel_size, stride,
// padding and dilation take an int or a tuple of one int; padding may also be "same" (stride 1
// only) or "valid"; padding_mode "reflect", "replicate" and "circular" pad with F.pad first.

#include "engine/nn/module.h"

#include <vector>

namespace nnscope::nn {

class Conv1d final : public Module {
public:
    Conv1d(std::int64_t in_channels, std::int64_t out_channels, const Value& kernel_size,
           const Value& stride = 1, const Value& padding = 0, const Value& dilation = 1,
           std::int64_t groups = 1, bool bias = true, std::string padding_mode = "zeros");
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;
    void reset_parameters();
    // F.pad's (left, right) that padding stands for.
    std::vector<std::int64_t> reversed_padding_repeated_twice() const;

    Tensor weight() const { return parameter("weight"); }
    Tensor bias() const { return parameter("bias"); }

private:
    std::int64_t in_channels_;
    std::int64_t out_channels_;
    std::int64_t kernel_size_;
    std::int64_t stride_;
    std::int64_t padding_ = 0;
    std::string padding_string_; // "same" or "valid" when padding was given as a string
    std::int64_t dilation_;
    std::int64_t groups_;
    std::string padding_mode_;
};

} // namespace nnscope::nn
