#pragma once
// Internal: padding as a gather along each padded dim. Every mode of F.pad maps an output
// position to the input position it copies (or to the fill value), one dim at a time; the
// forward copies through that map and the backward adds each output gradient into its source.

#include "engine/ops/pad.h"

#include <cstdint>
#include <vector>

namespace nnscope::detail {

// For each output position along a dim of `size` padded by (left, right), the input position it
// copies, or -1 for the fill value (constant mode only). Circular follows 1.13's _pad_circular
// step by step (the input copied into the middle, then the left pad copied from the right end of
// the result and the right pad from its left end), so mixed signs give PyTorch's values.
// Expects pads the mode can do (pad_last_dims checks them).
std::vector<std::int64_t> pad_source_map(PadMode mode, std::int64_t size, std::int64_t left,
                                         std::int64_t right);

// x with its last maps.size() dims gathered through maps (maps[0] for the first of them):
// out[..., j0, ..., jk] = x[..., maps[0][j0], ..., maps[k][jk]], or `fill` where any map is -1.
// Differentiable for floating inputs; the backward node is named node_name.
Tensor pad_by_maps(const Tensor& x, const std::vector<std::vector<std::int64_t>>& maps, double fill,
                   const char* node_name);

} // namespace nnscope::detail
