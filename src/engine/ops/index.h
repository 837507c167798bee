#pragma once
// Indexing ops, differentiable in their values (never in their indices).

#include "engine/tensor.h"

#include <optional>
#include <string_view>

namespace nnscope {

Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index);
Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index);
// Out-of-place x.scatter_add(dim, index, src).
Tensor scatter_add(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& src);
// Rows of weight picked by indices (any shape); padding_idx rows get no gradient.
Tensor embedding(const Tensor& weight, const Tensor& indices,
                 std::optional<std::int64_t> padding_idx = std::nullopt);
// F.embedding_bag with mode "sum", "mean" or "max": a 1-D input split into bags by offsets
// (include_last_offset as PyTorch), or a 2-D input of equal bags with undefined offsets.
Tensor embedding_bag(const Tensor& weight, const Tensor& input, const Tensor& offsets,
                     std::string_view mode = "mean", const Tensor& per_sample_weights = Tensor(),
                     bool include_last_offset = false,
                     std::optional<std::int64_t> padding_idx = std::nullopt);

} // namespace nnscope
