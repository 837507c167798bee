#pragma once
// Internal: walks the lines of a tensor along one dim (the rows a softmax, a max(dim) or a
// reduction works on), for kernels that take any strides.

#include "engine/ops/strided.h"

namespace nnscope::detail {

// Calls fn(offsets) once per line along `dim` of `shape`, in row-major order of the other dims;
// offsets[k] is operand k's element offset of the line's first element. The line itself is
// shape[dim] elements apart by strides[k][dim]. A 0-dim shape has one line of one element.
template <std::size_t N, class Fn>
void for_each_line(const Shape& shape, std::int64_t dim,
                   const std::array<const std::int64_t*, N>& strides,
                   std::array<std::int64_t, N> base, Fn&& fn) {
    if (shape.empty()) {
        fn(base);
        return;
    }
    Shape outer = shape;
    outer[static_cast<std::size_t>(dim)] = 1;
    for_each_strided<N>(outer, strides, base, fn);
}

// for_each_line over the team, lines spread in pieces of about `grain` elements: fn must only
// write its own line's results, so any cut gives the same result.
template <std::size_t N, class Fn>
void parallel_for_each_line(const Shape& shape, std::int64_t dim,
                            const std::array<const std::int64_t*, N>& strides,
                            std::array<std::int64_t, N> base, std::int64_t grain, Fn&& fn) {
    if (shape.empty()) {
        fn(base);
        return;
    }
    Shape outer = shape;
    const std::int64_t length = outer[static_cast<std::size_t>(dim)];
    outer[static_cast<std::size_t>(dim)] = 1;
    const std::int64_t line_grain =
        std::max<std::int64_t>(1, grain / std::max<std::int64_t>(1, length));
    parallel_for_each_strided<N>(outer, strides, base, line_grain, fn);
}

} // namespace nnscope::detail
