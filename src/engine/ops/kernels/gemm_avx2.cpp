// AVX2 + FMA matrix products (see gemm_avx2.h). Only the functions marked NNSCOPE_AVX2 use
// AVX2 or FMA instructions, and they run only after avx2_available() said yes; as in
// gemm_avx512.cpp no Eigen code is compiled here, so that no inline function shared with the
// rest of the program can end up in an AVX2 copy that a baseline CPU would run.

#include "engine/ops/kernels/gemm_avx2.h"

#include "engine/ops/kernels/gemm_split.h"

#include <algorithm>
#include <cstdlib>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define NNSCOPE_GEMM_AVX2 1
#include <immintrin.h>
#define NNSCOPE_AVX2 __attribute__((target("avx2,fma")))
#endif

namespace nnscope::kernels {

#ifdef NNSCOPE_GEMM_AVX2

namespace {

template <class T> struct Vec;

template <> struct Vec<float> {
    using V = __m256;
    static constexpr int lanes = 8;
};

template <> struct Vec<double> {
    using V = __m256d;
    static constexpr int lanes = 4;
};

// Lanes [0, count) of a mask for maskload / maskstore; count may exceed the vector.
NNSCOPE_AVX2 inline __m256i lane_mask(float, std::int64_t count) {
    const int n = static_cast<int>(std::clamp<std::int64_t>(count, 0, 8));
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
NNSCOPE_AVX2 inline __m256i lane_mask(double, std::int64_t count) {
    const long long n = std::clamp<std::int64_t>(count, 0, 4);
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_setr_epi64x(0, 1, 2, 3));
}

NNSCOPE_AVX2 inline __m256 vzero(float) {
    return _mm256_setzero_ps();
}
NNSCOPE_AVX2 inline __m256d vzero(double) {
    return _mm256_setzero_pd();
}
NNSCOPE_AVX2 inline __m256 vset1(float x) {
    return _mm256_set1_ps(x);
}
NNSCOPE_AVX2 inline __m256d vset1(double x) {
    return _mm256_set1_pd(x);
}
NNSCOPE_AVX2 inline __m256 vload(const float* p) {
    return _mm256_loadu_ps(p);
}
NNSCOPE_AVX2 inline __m256d vload(const double* p) {
    return _mm256_loadu_pd(p);
}
// Masked-off lanes read nothing (no fault past the end of a row) and come back as 0.
NNSCOPE_AVX2 inline __m256 vload(const float* p, __m256i m) {
    return _mm256_maskload_ps(p, m);
}
NNSCOPE_AVX2 inline __m256d vload(const double* p, __m256i m) {
    return _mm256_maskload_pd(p, m);
}
NNSCOPE_AVX2 inline void vstore(float* p, __m256 v) {
    _mm256_storeu_ps(p, v);
}
NNSCOPE_AVX2 inline void vstore(double* p, __m256d v) {
    _mm256_storeu_pd(p, v);
}
NNSCOPE_AVX2 inline void vstore(float* p, __m256i m, __m256 v) {
    _mm256_maskstore_ps(p, m, v);
}
NNSCOPE_AVX2 inline void vstore(double* p, __m256i m, __m256d v) {
    _mm256_maskstore_pd(p, m, v);
}
NNSCOPE_AVX2 inline __m256 vfma(__m256 a, __m256 b, __m256 c) {
    return _mm256_fmadd_ps(a, b, c);
}
NNSCOPE_AVX2 inline __m256d vfma(__m256d a, __m256d b, __m256d c) {
    return _mm256_fmadd_pd(a, b, c);
}
NNSCOPE_AVX2 inline __m256 vmul(__m256 a, __m256 b) {
    return _mm256_mul_ps(a, b);
}
NNSCOPE_AVX2 inline __m256d vmul(__m256d a, __m256d b) {
    return _mm256_mul_pd(a, b);
}
NNSCOPE_AVX2 inline __m256 vadd(__m256 a, __m256 b) {
    return _mm256_add_ps(a, b);
}
NNSCOPE_AVX2 inline __m256d vadd(__m256d a, __m256d b) {
    return _mm256_add_pd(a, b);
}

// c = beta·c + alpha·acc (the lanes of m when Masked), reading c only when beta != 0 (so that
// NaN there is ignored with beta == 0, as BLAS does). The same operations as gemm_avx512.cpp's
// store_scaled, hence the same bytes.
template <bool Masked, class T, class V>
NNSCOPE_AVX2 inline void store_scaled(T* c, __m256i m, V acc, T alpha, T beta) {
    if (alpha != T(1)) acc = vmul(vset1(alpha), acc);
    if (beta != T(0)) {
        const V old = Masked ? vload(c, m) : vload(c);
        acc = beta == T(1) ? vadd(old, acc) : vfma(vset1(beta), old, acc);
    }
    if (Masked)
        vstore(c, m, acc);
    else
        vstore(c, acc);
}

template <class T> T scaled(T old, T sum, T alpha, T beta) {
    const T product = alpha == T(1) ? sum : alpha * sum;
    if (beta == T(0)) return product;
    return beta == T(1) ? old + product : beta * old + product;
}

// One tile of rows (<= MR) x cols (<= NV vectors) of c for a row-major b: for each k, a
// broadcast of a(i, p) times row p of b. MR·NV = 12 accumulators, NV vectors of b and one
// broadcast fill the 16 registers. Rows past `rows` repeat the last row's address (so that
// they read valid memory) and are not stored. Masked: the last vector is partial.
template <class T, int MR, int NV, bool Masked>
NNSCOPE_AVX2 void nn_tile(const T* a, std::int64_t ars, std::int64_t acs, std::int64_t rows,
                          const T* b, std::int64_t ldb, std::int64_t k, std::int64_t cols, T* c,
                          std::int64_t ldc, T alpha, T beta) {
    using V = typename Vec<T>::V;
    constexpr int L = Vec<T>::lanes;
    const __m256i last = lane_mask(T(), Masked ? cols - (NV - 1) * L : L);
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
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
        if (r >= rows) break;
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) {
            T* cp = c + r * ldc + v * L;
            if (Masked && v == NV - 1)
                store_scaled<true>(cp, last, acc[r][v], alpha, beta);
            else
                store_scaled<false>(cp, last, acc[r][v], alpha, beta);
        }
    }
}

// The tiles of one column strip (cols <= NV vectors) of c over rows [i_begin, i_end). When at
// most half a tile's rows are left, a tile of half the height takes them instead of running
// the empty rows' FMAs.
template <class T, int MR, int NV>
NNSCOPE_AVX2 void nn_strip(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha,
                           T beta, std::int64_t i_begin, std::int64_t i_end, std::int64_t j0,
                           std::int64_t cols) {
    const std::int64_t k = a.cols, ars = a.row_stride, acs = a.col_stride, ldb = b.row_stride;
    const bool full = cols == NV * Vec<T>::lanes;
    for (std::int64_t i0 = i_begin; i0 < i_end; i0 += MR) {
        const std::int64_t rows = std::min<std::int64_t>(MR, i_end - i0);
        const T* ap = a.data + i0 * ars;
        const T* bp = b.data + j0;
        T* cp = c + i0 * ldc + j0;
        if (rows <= MR / 2) {
            if (full)
                nn_tile<T, MR / 2, NV, false>(ap, ars, acs, rows, bp, ldb, k, cols, cp, ldc, alpha,
                                              beta);
            else
                nn_tile<T, MR / 2, NV, true>(ap, ars, acs, rows, bp, ldb, k, cols, cp, ldc, alpha,
                                             beta);
        } else if (full) {
            nn_tile<T, MR, NV, false>(ap, ars, acs, rows, bp, ldb, k, cols, cp, ldc, alpha, beta);
        } else {
            nn_tile<T, MR, NV, true>(ap, ars, acs, rows, bp, ldb, k, cols, cp, ldc, alpha, beta);
        }
    }
}

// Strips of three vectors (4-row tiles); narrower strips take 6-row tiles of two vectors or
// 12-row tiles of one, so that they too keep 12 accumulators. Four vectors' worth of columns
// left (the cnn's 32 output channels) make two strips of two rather than three and one: a
// one-vector tile needs a load per FMA, its 12 broadcasts, where the others need 2/3 or less.
inline constexpr int nn_row_tile = 12; // a multiple of every tile's rows
template <class T> inline constexpr int nn_col_tile = 3 * Vec<T>::lanes;

template <class T>
NNSCOPE_AVX2 void gemm_nn_block(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc,
                                T alpha, T beta, std::int64_t i_begin, std::int64_t i_end,
                                std::int64_t j_begin, std::int64_t j_end) {
    constexpr int L = Vec<T>::lanes;
    for (std::int64_t j0 = j_begin; j0 < j_end;) {
        const std::int64_t rest = j_end - j0;
        std::int64_t cols = rest;
        if (rest > 2 * L && !(rest > 3 * L && rest <= 4 * L)) {
            cols = std::min<std::int64_t>(3 * L, rest);
            nn_strip<T, 4, 3>(a, b, c, ldc, alpha, beta, i_begin, i_end, j0, cols);
        } else if (rest > L) {
            cols = std::min<std::int64_t>(2 * L, rest);
            nn_strip<T, 6, 2>(a, b, c, ldc, alpha, beta, i_begin, i_end, j0, cols);
        } else {
            nn_strip<T, 12, 1>(a, b, c, ldc, alpha, beta, i_begin, i_end, j0, cols);
        }
        j0 += cols;
    }
}

template <class T>
void gemm_nn(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta) {
    split_gemm(a.rows, b.cols, a.cols, nn_row_tile, nn_col_tile<T>,
               [&](std::int64_t i0, std::int64_t i1, std::int64_t j0, std::int64_t j1) {
                   gemm_nn_block(a, b, c, ldc, alpha, beta, i0, i1, j0, j1);
               });
}

// Lane q of the result: the sum of the lanes of v[q], as ((0+1) + (2+3)) + ((4+5) + (6+7)),
// the same tree for every q (so an element's value does not depend on its place in a tile).
NNSCOPE_AVX2 inline __m256 sum_lanes(const __m256* v) {
    const __m256 q0 = _mm256_hadd_ps(_mm256_hadd_ps(v[0], v[1]), _mm256_hadd_ps(v[2], v[3]));
    const __m256 q1 = _mm256_hadd_ps(_mm256_hadd_ps(v[4], v[5]), _mm256_hadd_ps(v[6], v[7]));
    return _mm256_add_ps(_mm256_permute2f128_ps(q0, q1, 0x20),
                         _mm256_permute2f128_ps(q0, q1, 0x31));
}

// Lane q: (0+1) + (2+3) of v[q].
NNSCOPE_AVX2 inline __m256d sum_lanes(const __m256d* v) {
    const __m256d h01 = _mm256_hadd_pd(v[0], v[1]), h23 = _mm256_hadd_pd(v[2], v[3]);
    return _mm256_add_pd(_mm256_permute2f128_pd(h01, h23, 0x20),
                         _mm256_permute2f128_pd(h01, h23, 0x31));
}

// One MR x NR tile of c = a·b with a's rows and b's columns contiguous: MR·NR dot products over
// k, vectorised along k (the last vector masked). Each vector of b is loaded once and used
// for the MR rows held in registers. Rows and columns past the matrix repeat the last valid
// one and are not stored.
template <class T, int MR, int NR>
NNSCOPE_AVX2 void dot_tile(const T* a, std::int64_t lda, std::int64_t rows, const T* b,
                           std::int64_t ldb, std::int64_t cols, std::int64_t k, T* c,
                           std::int64_t ldc, T alpha, T beta) {
    using V = typename Vec<T>::V;
    constexpr int L = Vec<T>::lanes;
    const T* ar[MR];
    const T* bc[NR];
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i)
        ar[i] = a + std::min<std::int64_t>(i, rows - 1) * lda;
#pragma GCC unroll 16
    for (int j = 0; j < NR; ++j)
        bc[j] = b + std::min<std::int64_t>(j, cols - 1) * ldb;
    // Padded to whole groups of L for the reduction below.
    constexpr int count = MR * NR, padded = (count + L - 1) / L * L;
    V acc[padded];
#pragma GCC unroll 16
    for (int q = 0; q < padded; ++q)
        acc[q] = vzero(T());
    std::int64_t p = 0;
    for (; p + L <= k; p += L) {
        V av[MR];
#pragma GCC unroll 16
        for (int i = 0; i < MR; ++i)
            av[i] = vload(ar[i] + p);
#pragma GCC unroll 16
        for (int j = 0; j < NR; ++j) {
            const V bv = vload(bc[j] + p);
#pragma GCC unroll 16
            for (int i = 0; i < MR; ++i)
                acc[i * NR + j] = vfma(av[i], bv, acc[i * NR + j]);
        }
    }
    if (p < k) {
        const __m256i m = lane_mask(T(), k - p);
        V av[MR];
#pragma GCC unroll 16
        for (int i = 0; i < MR; ++i)
            av[i] = vload(ar[i] + p, m);
#pragma GCC unroll 16
        for (int j = 0; j < NR; ++j) {
            const V bv = vload(bc[j] + p, m);
#pragma GCC unroll 16
            for (int i = 0; i < MR; ++i)
                acc[i * NR + j] = vfma(av[i], bv, acc[i * NR + j]);
        }
    }
    alignas(32) T sums[padded];
#pragma GCC unroll 16
    for (int q = 0; q < padded; q += L)
        vstore(sums + q, sum_lanes(acc + q));
    for (int i = 0; i < MR && i < rows; ++i)
        for (int j = 0; j < NR && j < cols; ++j) {
            T& out = c[i * ldc + j];
            out = scaled(beta == T(0) ? T(0) : out, sums[i * NR + j], alpha, beta);
        }
}

// 4 rows x 3 columns: 12 accumulators, and 7 loads for 12 FMAs. The 3 columns of b (a weight's
// rows) stay in L1 while every row of a passes by. Measured on the mlp's x·W1ᵀ (64x512x784):
// 121 GFLOP/s, against 72 for 2x6 tiles and 80 for 4x2, which load a's rows more often.
inline constexpr int dot_rows = 4, dot_cols = 3;

template <class T>
NNSCOPE_AVX2 void gemm_dot_block(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc,
                                 T alpha, T beta, std::int64_t i_begin, std::int64_t i_end,
                                 std::int64_t j_begin, std::int64_t j_end) {
    const std::int64_t k = a.cols;
    for (std::int64_t j0 = j_begin; j0 < j_end; j0 += dot_cols)
        for (std::int64_t i0 = i_begin; i0 < i_end; i0 += dot_rows)
            dot_tile<T, dot_rows, dot_cols>(a.data + i0 * a.row_stride, a.row_stride,
                                            std::min<std::int64_t>(dot_rows, i_end - i0),
                                            b.data + j0 * b.col_stride, b.col_stride,
                                            std::min<std::int64_t>(dot_cols, j_end - j0), k,
                                            c + i0 * ldc + j0, ldc, alpha, beta);
}

template <class T>
void gemm_dot(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta) {
    split_gemm(a.rows, b.cols, a.cols, dot_rows, dot_cols,
               [&](std::int64_t i0, std::int64_t i1, std::int64_t j0, std::int64_t j1) {
                   gemm_dot_block(a, b, c, ldc, alpha, beta, i0, i1, j0, j1);
               });
}

bool env_set(const char* name) {
    const char* value = std::getenv(name);
    return value && *value && *value != '0';
}

bool detect_avx2() {
    if (env_set("NNSCOPE_NO_AVX2")) return false;
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

} // namespace

bool avx2_available() {
    static const bool available = detect_avx2();
    return available;
}

template <class T>
bool gemm_avx2(const MatRef<T>& a, const MatRef<T>& b, T* c, std::int64_t ldc, T alpha, T beta) {
    if (!avx2_available()) return false;
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

bool avx2_available() {
    return false;
}

template <class T> bool gemm_avx2(const MatRef<T>&, const MatRef<T>&, T*, std::int64_t, T, T) {
    return false;
}

#endif

template bool gemm_avx2<float>(const MatRef<float>&, const MatRef<float>&, float*, std::int64_t,
                               float, float);
template bool gemm_avx2<double>(const MatRef<double>&, const MatRef<double>&, double*, std::int64_t,
                                double, double);

} // namespace nnscope::kernels
