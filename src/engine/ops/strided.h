#pragma once
// Internal: row-major walks over strided operands, used by kernels that cannot assume
// contiguous inputs. The innermost dimension runs as a plain loop.

#include "engine/parallel.h"
#include "engine/tensor.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace nnscope::detail {

// Elements per parallel piece: below this an op runs on the calling thread. A thread wake-up
// costs a few microseconds, which a cheap pointwise op (add, relu, copy) spends on ~32K floats;
// transcendental ops (exp, tanh, erf) do ~8x the work per element.
constexpr std::int64_t kCheapGrain = 32768;
constexpr std::int64_t kHeavyGrain = 4096;

// Calls fn(offsets) for the row-major positions [begin, end) of `shape` in order, where
// offsets[k] is the element offset of operand k (base[k] plus index·strides[k]). Strides may be 0
// (broadcast). The innermost dimension runs as a plain loop.
template <std::size_t N, class Fn>
void for_each_strided_range(const Shape& shape, const std::array<const std::int64_t*, N>& strides,
                            std::array<std::int64_t, N> base, std::int64_t begin, std::int64_t end,
                            Fn&& fn) {
    const std::size_t ndim = shape.size();
    if (begin >= end) return;
    if (ndim == 0) {
        fn(base);
        return;
    }
    // The multi-index of `begin`, innermost dim first.
    Shape index(ndim, 0);
    std::int64_t rest = begin;
    for (std::size_t d = ndim; d-- > 0;) {
        index[d] = rest % shape[d];
        rest /= shape[d];
        for (std::size_t k = 0; k < N; ++k)
            base[k] += index[d] * strides[k][d];
    }
    const std::int64_t inner = shape[ndim - 1];
    std::array<std::int64_t, N> inner_stride;
    for (std::size_t k = 0; k < N; ++k)
        inner_stride[k] = strides[k][ndim - 1];
    std::int64_t left = end - begin;
    std::array<std::int64_t, N> offsets = base; // at index, inner coordinate included
    while (true) {
        const std::int64_t run = std::min(left, inner - index[ndim - 1]);
        std::array<std::int64_t, N> cursor = offsets;
        for (std::int64_t i = 0; i < run; ++i) {
            fn(cursor);
            for (std::size_t k = 0; k < N; ++k)
                cursor[k] += inner_stride[k];
        }
        left -= run;
        if (left == 0) return;
        // Back to the start of the row, then advance the outer index like an odometer.
        for (std::size_t k = 0; k < N; ++k)
            offsets[k] -= index[ndim - 1] * inner_stride[k];
        index[ndim - 1] = 0;
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

// Every index of `shape` in row-major order: for_each_strided_range over the whole shape.
template <std::size_t N, class Fn>
void for_each_strided(const Shape& shape, const std::array<const std::int64_t*, N>& strides,
                      std::array<std::int64_t, N> base, Fn&& fn) {
    for_each_strided_range(shape, strides, base, 0, shape_numel(shape), std::forward<Fn>(fn));
}

// for_each_strided over the team: fn must only write the element it is called for (every call
// is independent of the others), so any cut gives the same result. Serially it is exactly
// for_each_strided.
template <std::size_t N, class Fn>
void parallel_for_each_strided(const Shape& shape,
                               const std::array<const std::int64_t*, N>& strides,
                               std::array<std::int64_t, N> base, std::int64_t grain, Fn&& fn) {
    const std::int64_t n = shape_numel(shape);
    if (n <= grain || parallel::num_threads() == 1) {
        for_each_strided<N>(shape, strides, base, fn);
        return;
    }
    parallel::parallel_for(n, grain, [&](std::int64_t begin, std::int64_t end) {
        for_each_strided_range<N>(shape, strides, base, begin, end, fn);
    });
}

// Strides that read `t` as if expanded to `shape` (0 for broadcast dims, aligned right).
Shape broadcast_strides(const Tensor& t, const Shape& shape);

// Reads element `offset` (relative to the storage start) of a tensor of any dtype as T.
template <class T> T load_as(const std::byte* base, DType dtype, std::int64_t offset);

} // namespace nnscope::detail
