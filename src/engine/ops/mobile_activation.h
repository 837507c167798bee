#pragma once
// The activations of mobile networks (MobileNetV2/V3, EfficientNet), differentiable, with the
// formulas of PyTorch 1.13's vectorised CPU kernels (what every tensor but the last few elements
// of one gets; its scalar tail differs at x = 3 for hardswish's gradient), kinks included:
//   relu6(x)       = min(max(x, 0), 6)            grad: 0 at and beyond 0 and 6 (hardtanh's)
//   hardsigmoid(x) = relu6(x + 3) / 6             grad: float(1/6) strictly inside (-3, 3), else 0
//   hardswish(x)   = x * relu6(x + 3) / 6         grad: 0 below -3, x/3 + 1/2 below 3, then 1
//   silu(x)        = x / (1 + exp(-x))            grad: s * (1 + x * (1 - s)), s = sigmoid(x)

#include "engine/tensor.h"

namespace nnscope {

Tensor relu6(const Tensor& x);
Tensor hardsigmoid(const Tensor& x);
Tensor hardswish(const Tensor& x);
Tensor silu(const Tensor& x);

} // namespace nnscope
