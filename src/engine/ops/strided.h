#pragma once
// Internal: row-major walks over strided operands, used by kernels that cannot assume
// contiguous inputs. The innermost dimension runs as a plain loop.

#include "engine/tensor.h"

#include <array>
#include <cstdint>

namespace nnscope::detail {

// Calls fn(offsets) for every index of `shape` in row-major order, where offsets[k] is the
// element offset of operand k (base[k] plus index·strides[k]). Strides may be 0 (broadcast).
template <std::size_t N, class Fn>
void for_each_strided(const Shape& shape, const std::array<const std::int64_t*, N>& strides,
                      std::array<std::int64_t, N> base, Fn&& fn) {
    const std::size_t ndim = shape.size();
    for (std::int64_t extent : shape)
        if (extent == 0) return;
    if (ndim == 0) {
        fn(base);
        return;
    }
    const std::int64_t inner = shape[ndim - 1];
    std::array<std::int64_t, N> inner_stride;
    for (std::size_t k = 0; k < N; ++k)
        inner_stride[k] = strides[k][ndim - 1];
    Shape index(ndim, 0);
    std::array<std::int64_t, N> offsets = base;
    while (true) {
        std::array<std::int64_t, N> cursor = offsets;
        for (std::int64_t i = 0; i < inner; ++i) {
            fn(cursor);
            for (std::size_t k = 0; k < N; ++k)
                cursor[k] += inner_stride[k];
        }
        // Advance the outer index like an odometer.
        std::size_t d = ndim - 1;
        while (true) {
            if (d == 0) return;
            --d;
            ++index[d];
            for (std::size_t k = 0; k < N; ++k)
                offsets[k] += strides[k][d];
            if (index[d] < shape[d]) break;
            for (std::size_t k = 0; k < N; ++k)
                offsets[k] -= strides[k][d] * shape[d];
            index[d] = 0;
        }
    }
}

// Strides that read `t` as if expanded to `shape` (0 for broadcast dims, aligned right).
Shape broadcast_strides(const Tensor& t, const Shape& shape);

// Reads element `offset` (relative to the storage start) of a tensor of any dtype as T.
template <class T> T load_as(const std::byte* base, DType dtype, std::int64_t offset);

} // namespace nnscope::detail
