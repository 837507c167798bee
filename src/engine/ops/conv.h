#pragma once
// Convolution and pooling over NCHW (or CHW) tensors, differentiable; conv1d over NCL (or CL).

#include "engine/tensor.h"

#include <array>

namespace nnscope {

using Pair = std::array<std::int64_t, 2>;

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, Pair stride = {1, 1},
              Pair padding = {0, 0}, Pair dilation = {1, 1}, std::int64_t groups = 1);
// conv1d over NCL (or CL) tensors: conv2d over a height of one.
Tensor conv1d(const Tensor& x, const Tensor& weight, const Tensor& bias, std::int64_t stride = 1,
              std::int64_t padding = 0, std::int64_t dilation = 1, std::int64_t groups = 1);
Tensor max_pool2d(const Tensor& x, Pair kernel_size, Pair stride, Pair padding = {0, 0},
                  Pair dilation = {1, 1}, bool ceil_mode = false);
Tensor avg_pool2d(const Tensor& x, Pair kernel_size, Pair stride, Pair padding = {0, 0},
                  bool ceil_mode = false, bool count_include_pad = true,
                  std::int64_t divisor_override = 0);

} // namespace nnscope
