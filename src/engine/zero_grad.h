#pragma once
// The gradient reset shared by nn::Module::zero_grad and optim::Optimizer::zero_grad, with
// PyTorch 1.13's rules.

#include "engine/tensor.h"

#include <vector>

namespace nnscope {

// For every parameter that has a gradient: set_to_none drops it; otherwise (PyTorch 1.13's
// default) the gradient is detached from any graph and zero-filled in place, so that tensors
// sharing it see the zeros.
void zero_grads(const std::vector<Tensor>& params, bool set_to_none);

} // namespace nnscope
