#pragma once
// Matrix products on Eigen's GEMM, differentiable.

#include "engine/tensor.h"

namespace nnscope {

Tensor mm(const Tensor& a, const Tensor& b);  // [n,k] x [k,m]
Tensor bmm(const Tensor& a, const Tensor& b); // [b,n,k] x [b,k,m]
// torch.matmul: 1-D, 2-D and batched operands with broadcasting of batch dims.
Tensor matmul(const Tensor& a, const Tensor& b);
// beta * input + alpha * (a @ b), input broadcast to [n,m].
Tensor addmm(const Tensor& input, const Tensor& a, const Tensor& b, double beta = 1.0,
             double alpha = 1.0);
// x @ weight^T + bias over the last dim of x (any leading dims), as F.linear; bias may be
// undefined.
Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias);

} // namespace nnscope
