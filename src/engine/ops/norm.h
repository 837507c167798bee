#pragma once
// Normalisation and dropout, differentiable.

#include "engine/tensor.h"

namespace nnscope {

class Generator;

// F.batch_norm over dim 1 of [N,C] or [N,C,*]. In training it normalises with the batch
// statistics and updates running_mean / running_var in place (unbiased variance, momentum);
// in eval it uses them. Any of running_*, weight, bias may be undefined.
Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, bool training, double momentum,
                  double eps);
Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight,
                  const Tensor& bias, double eps);
// Zeroes each element with probability p (drawn from gen as PyTorch's bernoulli_ does) and
// scales the rest by 1/(1-p); identity when !training.
Tensor dropout(const Tensor& x, double p, bool training, Generator& gen);

} // namespace nnscope
