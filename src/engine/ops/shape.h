#pragma once
// Joining tensors. The view ops (view, reshape, transpose, ...) are Tensor members; all live in
// shape.cpp and are differentiable.

#include "engine/tensor.h"

#include <vector>

namespace nnscope {

Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim = 0);
Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim = 0);

} // namespace nnscope
