#pragma once
// Internal: matrix products on raw buffers. The first of these that the CPU has and that takes
// the layout computes a product: the AVX-512 kernels of gemm_avx512.h, the AVX2 + FMA kernels of
// gemm_avx2.h, Eigen's GEMM. Two environment variables, read once, skip kernels (to measure or
// test the other paths on one machine): NNSCOPE_NO_AVX512=1 skips the AVX-512 kernels,
// NNSCOPE_NO_AVX2=1 skips both kernel families (the Eigen path, as on a CPU without AVX2).
// A MatRef describes any strided matrix; for Eigen, row-major and column-major ones (one stride
// 1) are mapped without copying, anything else is copied once into a packed buffer.

#include <cstdint>

namespace nnscope::kernels {

template <class T> struct MatRef {
    const T* data;
    std::int64_t rows;
    std::int64_t cols;
    std::int64_t row_stride; // elements between (i, j) and (i + 1, j)
    std::int64_t col_stride; // elements between (i, j) and (i, j + 1)

    MatRef<T> transposed() const { return {data, cols, rows, col_stride, row_stride}; }
};

// A row-major matrix of `rows` x `cols` with leading dimension ld.
template <class T>
MatRef<T> row_major(const T* data, std::int64_t rows, std::int64_t cols, std::int64_t ld) {
    return {data, rows, cols, ld, 1};
}

// c (row-major, leading dimension ldc, a.rows x b.cols) = beta * c + alpha * a·b. With beta == 0
// the old contents of c are ignored (NaN included), as BLAS does.
template <class T>
void gemm(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha = T(1),
          T beta = T(0));

// The kernels gemm() uses for the layouts they take: "avx512", "avx2" or "eigen" (products of
// other layouts go to Eigen on every path). For benchmark and training reports.
const char* gemm_path();

// True when gemm() runs hand-written kernels (AVX-512 or AVX2) rather than Eigen: callers that
// can choose an operand layout (conv's weight gradient) prefer row-major B for them.
bool fast_gemm_available();

// out[j] (+)= sum_i m(i, j): the column sums of a row-major matrix, accumulated in T.
template <class T>
void column_sums(const T* m, std::int64_t rows, std::int64_t cols, std::int64_t ld, T* out,
                 bool accumulate);

// Sum of n contiguous values in 8 interleaved partial sums, so that it vectorises without
// -ffast-math (the order differs from a plain loop only by rounding).
template <class T> T sum_of(const T* v, std::int64_t n) {
    T lanes[8] = {};
    std::int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; ++k)
            lanes[k] += v[i + k];
    T total = T(0);
    for (; i < n; ++i)
        total += v[i];
    for (int k = 0; k < 8; ++k)
        total += lanes[k];
    return total;
}

} // namespace nnscope::kernels
