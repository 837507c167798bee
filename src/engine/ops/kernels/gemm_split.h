#pragma once
// Internal: how the GEMM kernels share one product among the engine's threads. C is cut into
// blocks of whole tiles, along its columns when there are enough column tiles for every
// thread, otherwise along its rows; each block is computed exactly as the serial loop computes
// it (every element of C is one kernel's sum over all of k, whichever block holds it), so the
// result is the same bytes for any thread count. Small products stay on the calling thread.

#include "engine/ops/kernels/gemm.h"
#include "engine/parallel.h"

#include <algorithm>
#include <cstdint>

namespace nnscope::kernels {

// Which kernel family of gemm_avx512 / gemm_avx2 suits a product's layout: the broadcast kernel
// when B is row-major (A any strides), the dot kernel when B's columns and A's rows are
// contiguous, neither otherwise (Eigen). One rule for both instruction sets.
enum class KernelLayout { Broadcast, Dot, None };

template <class T> KernelLayout kernel_layout(const MatRef<T>& a, const MatRef<T>& b) {
    if (b.col_stride == 1 || b.cols == 1) return KernelLayout::Broadcast;
    if ((b.row_stride == 1 || b.rows == 1) && (a.col_stride == 1 || a.cols == 1))
        return KernelLayout::Dot;
    return KernelLayout::None;
}

// Products below this many multiply-adds are not worth waking a thread for (a few microseconds).
inline constexpr std::int64_t gemm_parallel_min_macs = std::int64_t{1} << 18;

// block(i0, i1, j0, j1) for blocks covering [0, m) x [0, n); each cut is a multiple of
// row_tile (rows) or col_tile (columns).
template <class F>
void split_gemm(std::int64_t m, std::int64_t n, std::int64_t k, std::int64_t row_tile,
                std::int64_t col_tile, F&& block) {
    const std::int64_t row_tiles = (m + row_tile - 1) / row_tile;
    const std::int64_t col_tiles = (n + col_tile - 1) / col_tile;
    const int threads = parallel::num_threads();
    const bool small =
        m * n * std::max<std::int64_t>(k, 1) < gemm_parallel_min_macs && !parallel::force_split();
    if (threads <= 1 || small) {
        block(std::int64_t{0}, m, std::int64_t{0}, n);
        return;
    }
    if (col_tiles >= 2 * threads || col_tiles >= row_tiles) {
        parallel::parallel_for(col_tiles, 1, [&](std::int64_t t0, std::int64_t t1) {
            block(std::int64_t{0}, m, t0 * col_tile, std::min(n, t1 * col_tile));
        });
    } else {
        parallel::parallel_for(row_tiles, 1, [&](std::int64_t t0, std::int64_t t1) {
            block(t0 * row_tile, std::min(m, t1 * row_tile), std::int64_t{0}, n);
        });
    }
}

} // namespace nnscope::kernels
