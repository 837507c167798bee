#pragma once
// Activation functions and (log-)softmax, differentiable.

#include "engine/tensor.h"

#include <string_view>

namespace nnscope {

Tensor relu(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
// approximate: "none" (exact erf form) or "tanh", as torch.nn.functional.gelu.
Tensor gelu(const Tensor& x, std::string_view approximate = "none");
Tensor softmax(const Tensor& x, std::int64_t dim);
Tensor log_softmax(const Tensor& x, std::int64_t dim);

} // namespace nnscope
