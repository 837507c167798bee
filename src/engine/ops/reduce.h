#pragma once
// Reductions over all elements or over dims (keepdim as in PyTorch), differentiable. Integer
// and bool sums give int64; float16/bfloat16 reduce in float32 and round back. An empty dims
// list reduces every dim, as sum(dim=[]) does in PyTorch 1.13; a repeated dim is an error.

#include "engine/tensor.h"

#include <optional>
#include <utility>

namespace nnscope {

Tensor sum(const Tensor& x);
Tensor sum(const Tensor& x, const Shape& dims, bool keepdim = false);
Tensor mean(const Tensor& x);
Tensor mean(const Tensor& x, const Shape& dims, bool keepdim = false);
// Maximum of all elements (0-dim); NaN is the maximum. Its gradient is split evenly between
// ties, as PyTorch 1.13 does.
Tensor max(const Tensor& x);
// (values, indices) along dim; ties pick the first index, as PyTorch's CPU kernel does.
std::pair<Tensor, Tensor> max(const Tensor& x, std::int64_t dim, bool keepdim = false);
Tensor argmax(const Tensor& x, std::optional<std::int64_t> dim = std::nullopt,
              bool keepdim = false);
// Sums a broadcast gradient back to `shape` (the reverse of expand).
Tensor sum_to(const Tensor& x, const Shape& shape);

} // namespace nnscope
