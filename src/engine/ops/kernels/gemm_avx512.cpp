// AVX-512 matrix products (see gemm_avx512.h). Only the functions marked NNSCOPE_AVX512 use
// AVX-512 instructions, and they run only after avx512_available() said yes. No Eigen code is
// compiled for AVX-512 here: an inline Eigen function compiled both ways could be merged by the
// linker into the AVX-512 copy and then run on a CPU without it.

#include "engine/ops/kernels/gemm_avx512.h"

#include "engine/ops/kernels/gemm_split.h"

#include <algorithm>
#include <cstdlib>
#include <initializer_list>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define NNSCOPE_GEMM_AVX512 1
// GCC 12 warns about the deliberately undefined vectors inside its own AVX-512 intrinsics.
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#define NNSCOPE_AVX512 __attribute__((target("avx512f")))
#endif

namespace nnscope::kernels {

#ifdef NNSCOPE_GEMM_AVX512

namespace {

template <class T> struct Vec;

template <> struct Vec<float> {
    using V = __m512;
    using Mask = __mmask16;
    static constexpr int lanes = 16;
};

template <> struct Vec<double> {
    using V = __m512d;
    using Mask = __mmask8;
    static constexpr int lanes = 8;
};

// Lanes [0, count) set; count may exceed the vector.
template <class T> typename Vec<T>::Mask tail_mask(std::int64_t count) {
    if (count >= Vec<T>::lanes) return static_cast<typename Vec<T>::Mask>(~0u);
    if (count <= 0) return 0;
    return static_cast<typename Vec<T>::Mask>((1u << count) - 1u);
}

NNSCOPE_AVX512 inline __m512 vzero(float) {
    return _mm512_setzero_ps();
}
NNSCOPE_AVX512 inline __m512d vzero(double) {
    return _mm512_setzero_pd();
}
NNSCOPE_AVX512 inline __m512 vset1(float x) {
    return _mm512_set1_ps(x);
}
NNSCOPE_AVX512 inline __m512d vset1(double x) {
    return _mm512_set1_pd(x);
}
NNSCOPE_AVX512 inline __m512 vload(const float* p) {
    return _mm512_loadu_ps(p);
}
NNSCOPE_AVX512 inline __m512d vload(const double* p) {
    return _mm512_loadu_pd(p);
}
// Masked-off lanes read nothing (no fault past the end of a row) and come back as 0.
NNSCOPE_AVX512 inline __m512 vload(const float* p, __mmask16 m) {
    return _mm512_maskz_loadu_ps(m, p);
}
NNSCOPE_AVX512 inline __m512d vload(const double* p, __mmask8 m) {
    return _mm512_maskz_loadu_pd(m, p);
}
NNSCOPE_AVX512 inline void vstore(float* p, __mmask16 m, __m512 v) {
    _mm512_mask_storeu_ps(p, m, v);
}
NNSCOPE_AVX512 inline void vstore(double* p, __mmask8 m, __m512d v) {
    _mm512_mask_storeu_pd(p, m, v);
}
NNSCOPE_AVX512 inline __m512 vfma(__m512 a, __m512 b, __m512 c) {
    return _mm512_fmadd_ps(a, b, c);
}
NNSCOPE_AVX512 inline __m512d vfma(__m512d a, __m512d b, __m512d c) {
    return _mm512_fmadd_pd(a, b, c);
}
NNSCOPE_AVX512 inline __m512 vmul(__m512 a, __m512 b) {
    return _mm512_mul_ps(a, b);
}
NNSCOPE_AVX512 inline __m512d vmul(__m512d a, __m512d b) {
    return _mm512_mul_pd(a, b);
}
NNSCOPE_AVX512 inline __m512 vadd(__m512 a, __m512 b) {
    return _mm512_add_ps(a, b);
}
NNSCOPE_AVX512 inline __m512d vadd(__m512d a, __m512d b) {
    return _mm512_add_pd(a, b);
}

// c = beta·c + alpha·acc on the lanes of m, reading c only when beta != 0 (so that NaN there
// is ignored with beta == 0, as BLAS does).
template <class T, class V, class M>
NNSCOPE_AVX512 inline void store_scaled(T* c, M m, V acc, T alpha, T beta) {
    if (alpha != T(1)) acc = vmul(vset1(alpha), acc);
    if (beta != T(0)) {
        const V old = vload(c, m);
        acc = beta == T(1) ? vadd(old, acc) : vfma(vset1(beta), old, acc);
    }
    vstore(c, m, acc);
}

template <class T> T scaled(T old, T sum, T alpha, T beta) {
    const T product = alpha == T(1) ? sum : alpha * sum;
    if (beta == T(0)) return product;
    return beta == T(1) ? old + product : beta * old + product;
}

// One tile of rows (<= MR) x cols (<= NV vectors) of c for a row-major b: for each k, a
// broadcast of a(i, p) times row p of b. Rows past `rows` repeat the last row's address (so
// that they read valid memory) and are not stored. Masked: the last vector is partial.
template <class T, int MR, int NV, bool Masked>
NNSCOPE_AVX512 void nn_tile(const T* a, std::int64_t ars, std::int64_t acs, std::int64_t rows,
                            const T* b, std::int64_t ldb, std::int64_t k, std::int64_t cols, T* c,
                            std::int64_t ldc, T alpha, T beta) {
    using V = typename Vec<T>::V;
    constexpr int L = Vec<T>::lanes;
    const auto last = tail_mask<T>(Masked ? cols - (NV - 1) * L : L);
    const T* ar[MR];
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r)
        ar[r] = a + std::min<std::int64_t>(r, rows - 1) * ars;
    V acc[MR][NV];
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r)
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v)
            acc[r][v] = vzero(T());
    for (std::int64_t p = 0; p < k; ++p) {
        const T* brow = b + p * ldb;
        V bv[NV];
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v)
            bv[v] = Masked && v == NV - 1 ? vload(brow + v * L, last) : vload(brow + v * L);
        const std::int64_t offset = p * acs;
#pragma GCC unroll 16
        for (int r = 0; r < MR; ++r) {
            const V av = vset1(ar[r][offset]);
#pragma GCC unroll 4
            for (int v = 0; v < NV; ++v)
                acc[r][v] = vfma(av, bv[v], acc[r][v]);
        }
    }
    const auto full = tail_mask<T>(L);
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        if (r >= rows) break;
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v)
            store_scaled(c + r * ldc + v * L, Masked && v == NV - 1 ? last : full, acc[r][v], alpha,
                         beta);
    }
}

// The tiles of rows [i_begin, i_end) x columns [j_begin, j_end) of c.
template <class T>
NNSCOPE_AVX512 void gemm_nn_block(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc,
                                  T alpha, T beta, std::int64_t i_begin, std::int64_t i_end,
                                  std::int64_t j_begin, std::int64_t j_end) {
    constexpr int L = Vec<T>::lanes, MR = 8;
    const std::int64_t k = a.cols;
    for (std::int64_t j0 = j_begin; j0 < j_end; j0 += 2 * L) {
        const std::int64_t cols = std::min<std::int64_t>(2 * L, j_end - j0);
        for (std::int64_t i0 = i_begin; i0 < i_end; i0 += MR) {
            const std::int64_t rows = std::min<std::int64_t>(MR, i_end - i0);
            const T* ap = a.data + i0 * a.row_stride;
            const T* bp = b.data + j0;
            T* cp = c + i0 * ldc + j0;
            const std::int64_t ars = a.row_stride, acs = a.col_stride, ldb = b.row_stride;
            if (cols == 2 * L)
                nn_tile<T, MR, 2, false>(ap, ars, acs, rows, bp, ldb, k, cols, cp, ldc, alpha,
                                         beta);
            else if (cols > L)
                nn_tile<T, MR, 2, true>(ap, ars, acs, rows, bp, ldb, k, cols, cp, ldc, alpha, beta);
            else if (cols == L)
                nn_tile<T, MR, 1, false>(ap, ars, acs, rows, bp, ldb, k, cols, cp, ldc, alpha,
                                         beta);
            else
                nn_tile<T, MR, 1, true>(ap, ars, acs, rows, bp, ldb, k, cols, cp, ldc, alpha, beta);
        }
    }
}

template <class T>
void gemm_nn(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta) {
    constexpr std::int64_t L = Vec<T>::lanes, MR = 8;
    split_gemm(a.rows, b.cols, a.cols, MR, 2 * L,
               [&](std::int64_t i0, std::int64_t i1, std::int64_t j0, std::int64_t j1) {
                   gemm_nn_block(a, b, c, ldc, alpha, beta, i0, i1, j0, j1);
               });
}

// The 16 sums of a 4x4 tile's accumulators, out[i][j] = sum of acc[i][j]: a float tree that
// folds halves of pairs of vectors together (45 vector operations instead of 16 full
// reductions of 8 each).
NNSCOPE_AVX512 inline void reduce_tile(const __m512 (&acc)[4][4], float (&out)[4][4]) {
    __m512 w[8];
    for (int q = 0; q < 8; ++q) {
        const __m512 x = acc[(2 * q) / 4][(2 * q) % 4], y = acc[(2 * q + 1) / 4][(2 * q + 1) % 4];
        // Chunks [x0+x2, x1+x3, y0+y2, y1+y3].
        w[q] = _mm512_add_ps(_mm512_shuffle_f32x4(x, y, _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_f32x4(x, y, _MM_SHUFFLE(3, 2, 3, 2)));
    }
    __m512 s[4]; // chunk j of s[i]: four partial sums of acc[i][j]
    for (int r = 0; r < 4; ++r)
        s[r] = _mm512_add_ps(_mm512_shuffle_f32x4(w[2 * r], w[2 * r + 1], _MM_SHUFFLE(2, 0, 2, 0)),
                             _mm512_shuffle_f32x4(w[2 * r], w[2 * r + 1], _MM_SHUFFLE(3, 1, 3, 1)));
    const __m512 y0 = _mm512_add_ps(_mm512_unpacklo_ps(s[0], s[1]), _mm512_unpackhi_ps(s[0], s[1]));
    const __m512 y1 = _mm512_add_ps(_mm512_unpacklo_ps(s[2], s[3]), _mm512_unpackhi_ps(s[2], s[3]));
    // Lane 4j + i: the sum of acc[i][j].
    const __m512 z = _mm512_add_ps(_mm512_shuffle_ps(y0, y1, _MM_SHUFFLE(1, 0, 1, 0)),
                                   _mm512_shuffle_ps(y0, y1, _MM_SHUFFLE(3, 2, 3, 2)));
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, z);
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            out[i][j] = lanes[4 * j + i];
}

NNSCOPE_AVX512 inline void reduce_tile(const __m512d (&acc)[4][4], double (&out)[4][4]) {
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            out[i][j] = _mm512_reduce_add_pd(acc[i][j]);
}

// One 4x4 tile of c = a·b with a's rows and b's columns contiguous: 16 dot products over k,
// vectorised along k (the last vector masked). Rows and columns past the matrix repeat the
// last valid one and are not stored.
template <class T>
NNSCOPE_AVX512 void dot_tile(const T* a, std::int64_t lda, std::int64_t rows, const T* b,
                             std::int64_t ldb, std::int64_t cols, std::int64_t k, T* c,
                             std::int64_t ldc, T alpha, T beta) {
    using V = typename Vec<T>::V;
    constexpr int L = Vec<T>::lanes;
    const T* ar[4];
    const T* bc[4];
    for (int i = 0; i < 4; ++i) {
        ar[i] = a + std::min<std::int64_t>(i, rows - 1) * lda;
        bc[i] = b + std::min<std::int64_t>(i, cols - 1) * ldb;
    }
    V acc[4][4];
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            acc[i][j] = vzero(T());
    std::int64_t p = 0;
    for (; p + L <= k; p += L) {
        V av[4], bv[4];
        for (int i = 0; i < 4; ++i) {
            av[i] = vload(ar[i] + p);
            bv[i] = vload(bc[i] + p);
        }
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j)
                acc[i][j] = vfma(av[i], bv[j], acc[i][j]);
    }
    if (p < k) {
        const auto m = tail_mask<T>(k - p);
        V av[4], bv[4];
        for (int i = 0; i < 4; ++i) {
            av[i] = vload(ar[i] + p, m);
            bv[i] = vload(bc[i] + p, m);
        }
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j)
                acc[i][j] = vfma(av[i], bv[j], acc[i][j]);
    }
    T sums[4][4];
    reduce_tile(acc, sums);
    for (int i = 0; i < 4 && i < rows; ++i)
        for (int j = 0; j < 4 && j < cols; ++j) {
            T& out = c[i * ldc + j];
            out = scaled(beta == T(0) ? T(0) : out, sums[i][j], alpha, beta);
        }
}

template <class T>
NNSCOPE_AVX512 void gemm_dot_block(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc,
                                   T alpha, T beta, std::int64_t i_begin, std::int64_t i_end,
                                   std::int64_t j_begin, std::int64_t j_end) {
    const std::int64_t k = a.cols;
    // Columns of b outermost: a 4-column strip of b (a weight's rows) stays in L1 while every
    // row of a passes by.
    for (std::int64_t j0 = j_begin; j0 < j_end; j0 += 4)
        for (std::int64_t i0 = i_begin; i0 < i_end; i0 += 4)
            dot_tile(a.data + i0 * a.row_stride, a.row_stride,
                     std::min<std::int64_t>(4, i_end - i0), b.data + j0 * b.col_stride,
                     b.col_stride, std::min<std::int64_t>(4, j_end - j0), k, c + i0 * ldc + j0, ldc,
                     alpha, beta);
}

template <class T>
void gemm_dot(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta) {
    split_gemm(a.rows, b.cols, a.cols, 4, 4,
               [&](std::int64_t i0, std::int64_t i1, std::int64_t j0, std::int64_t j1) {
                   gemm_dot_block(a, b, c, ldc, alpha, beta, i0, i1, j0, j1);
               });
}

bool detect_avx512() {
    // NNSCOPE_NO_AVX2 asks for the Eigen path (gemm.h), which skips these kernels too.
    for (const char* name : {"NNSCOPE_NO_AVX512", "NNSCOPE_NO_AVX2"})
        if (const char* off = std::getenv(name); off && *off && *off != '0') return false;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

} // namespace

bool avx512_available() {
    static const bool available = detect_avx512();
    return available;
}

template <class T>
bool gemm_avx512(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta) {
    if (!avx512_available()) return false;
    const KernelLayout layout = kernel_layout(a, b);
    if (layout == KernelLayout::None) return false;
    if (a.rows == 0 || b.cols == 0) return true;
    if (layout == KernelLayout::Broadcast)
        gemm_nn(a, b, c, ldc, alpha, beta);
    else
        gemm_dot(a, b, c, ldc, alpha, beta);
    return true;
}

#else

bool avx512_available() {
    return false;
}

template <class T> bool gemm_avx512(const MatRef<T>&, const MatRef<T>&, T*, std::int64_t, T, T) {
    return false;
}

#endif

template bool gemm_avx512<float>(const MatRef<float>&, const MatRef<float>&, float*, std::int64_t,
                                 float, float);
template bool gemm_avx512<double>(const MatRef<double>&, const MatRef<double>&, double*,
                                  std::int64_t, double, double);

} // namespace nnscope::kernels
