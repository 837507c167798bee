#pragma once
// Internal: out-of-place matrix transpose, 8x8 blocks of float32 in AVX registers when the
// target has AVX2 (a scalar transpose is bound by one strided store per element).

#include <cstdint>
#include <type_traits>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace nnscope::kernels {

#if defined(__AVX2__)
// dst[j·ldd + i] = src[i·lds + j] for an 8x8 block.
inline void transpose8x8(const float* src, std::int64_t lds, float* dst, std::int64_t ldd) {
    __m256 r[8];
    for (int i = 0; i < 8; ++i)
        r[i] = _mm256_loadu_ps(src + i * lds);
    __m256 t[8], u[8];
    for (int i = 0; i < 4; ++i) {
        t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int h = 0; h < 2; ++h) {
        const int b = 4 * h;
        u[b] = _mm256_shuffle_ps(t[b], t[b + 2], 0x44);
        u[b + 1] = _mm256_shuffle_ps(t[b], t[b + 2], 0xEE);
        u[b + 2] = _mm256_shuffle_ps(t[b + 1], t[b + 3], 0x44);
        u[b + 3] = _mm256_shuffle_ps(t[b + 1], t[b + 3], 0xEE);
    }
    for (int i = 0; i < 4; ++i) {
        _mm256_storeu_ps(dst + i * ldd, _mm256_permute2f128_ps(u[i], u[i + 4], 0x20));
        _mm256_storeu_ps(dst + (i + 4) * ldd, _mm256_permute2f128_ps(u[i], u[i + 4], 0x31));
    }
}
#endif

// dst[j·ldd + i] = src[i·lds + j] for i < rows, j < cols.
template <class T>
void transpose(const T* src, std::int64_t lds, std::int64_t rows, std::int64_t cols, T* dst,
               std::int64_t ldd) {
    std::int64_t i = 0;
#if defined(__AVX2__)
    if constexpr (std::is_same_v<T, float>) {
        for (; i + 8 <= rows; i += 8) {
            std::int64_t j = 0;
            for (; j + 8 <= cols; j += 8)
                transpose8x8(src + i * lds + j, lds, dst + j * ldd + i, ldd);
            for (; j < cols; ++j)
                for (std::int64_t r = i; r < i + 8; ++r)
                    dst[j * ldd + r] = src[r * lds + j];
        }
    }
#endif
    for (; i < rows; ++i)
        for (std::int64_t j = 0; j < cols; ++j)
            dst[j * ldd + i] = src[i * lds + j];
}

} // namespace nnscope::kernels
