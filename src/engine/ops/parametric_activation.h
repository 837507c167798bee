#pragma once
// Activations with a constant of their own, differentiable, with PyTorch 1.13's CPU kernels'
// formulas (the constants rounded to the tensor's type, as its kernels do):
//   leaky_relu(x, s)    = x > 0 ? x : x * s                 grad: g at x > 0, else g * s
//   elu(x, a)           = x > 0 ? x : a * (exp(x) - 1)      grad: g at x > 0, else g * a * exp(x)
//   softplus(x, b, t)   = x * b > t ? x : log1p(exp(x * b)) / b
//                                                    grad: g where x * b > t, else g * z / (z + 1),
//                                                          z = exp(x * b)
// Floating types only, as PyTorch's kernels.

#include "engine/tensor.h"

namespace nnscope {

Tensor leaky_relu(const Tensor& x, double negative_slope = 0.01);
Tensor elu(const Tensor& x, double alpha = 1.0);
Tensor softplus(const Tensor& x, double beta = 1.0, double threshold = 20.0);

} // namespace nnscope
