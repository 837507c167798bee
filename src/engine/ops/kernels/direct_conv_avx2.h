#pragma once
// Internal: AVX2 + FMA kernels for the float32 3x3 direct convolution of direct_conv.h with unit
// column stride (the first layer of an image model). Compiled only when the target has both
// (the release and dev presets build for x86-64-v3); the portable loops of direct_conv.h run
// otherwise. Rows are processed 8 columns at a time; a row's last partial vector is read and
// written with masks, which read nothing past the row.

#if defined(__AVX2__) && defined(__FMA__)
#define NNSCOPE_DIRECT_CONV_AVX2 1

#include <cstdint>
#include <immintrin.h>

namespace nnscope::kernels::avx2 {

// Lanes [0, count) of a vector mask, count in [0, 8].
inline __m256i lane_mask(std::int64_t count) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), lanes);
}

// One output plane of one channel: out(oh, ow) = bias + sum_t w[t] · pad(oh·sh + ki·dh,
// ow + kj·dw), taps in row-major order, one FMA each. `width` is the padded plane's.
inline void conv3x3_plane(const float* pad, std::int64_t width, std::int64_t stride_h,
                          std::int64_t dh, std::int64_t dw, const float* w, float bias, float* out,
                          std::int64_t out_h, std::int64_t out_w) {
    __m256 taps[9];
    for (int t = 0; t < 9; ++t)
        taps[t] = _mm256_set1_ps(w[t]);
    const __m256 b = _mm256_set1_ps(bias);
    const std::int64_t full = out_w / 8 * 8;
    const __m256i tail = lane_mask(out_w - full);
    for (std::int64_t oh = 0; oh < out_h; ++oh) {
        const float* r0 = pad + oh * stride_h * width;
        const float* r1 = r0 + dh * width;
        const float* r2 = r1 + dh * width;
        float* o = out + oh * out_w;
        auto sum = [&](std::int64_t i, auto load) {
            __m256 acc = b;
            acc = _mm256_fmadd_ps(taps[0], load(r0 + i), acc);
            acc = _mm256_fmadd_ps(taps[1], load(r0 + i + dw), acc);
            acc = _mm256_fmadd_ps(taps[2], load(r0 + i + 2 * dw), acc);
            acc = _mm256_fmadd_ps(taps[3], load(r1 + i), acc);
            acc = _mm256_fmadd_ps(taps[4], load(r1 + i + dw), acc);
            acc = _mm256_fmadd_ps(taps[5], load(r1 + i + 2 * dw), acc);
            acc = _mm256_fmadd_ps(taps[6], load(r2 + i), acc);
            acc = _mm256_fmadd_ps(taps[7], load(r2 + i + dw), acc);
            acc = _mm256_fmadd_ps(taps[8], load(r2 + i + 2 * dw), acc);
            return acc;
        };
        std::int64_t i = 0;
        for (; i < full; i += 8)
            _mm256_storeu_ps(o + i, sum(i, [](const float* p) { return _mm256_loadu_ps(p); }));
        if (i < out_w)
            _mm256_maskstore_ps(o + i, tail, sum(i, [tail](const float* p) {
                                    return _mm256_maskload_ps(p, tail);
                                }));
    }
}

// Weight-gradient partial sums of CB output channels over one plane: for each tap t,
// partial[(c·9 + t)·8 + lane] += grad_c · input under tap t, lane by lane (masked lanes add 0).
template <int CB>
void conv3x3_weight_grad_plane(const float* pad, std::int64_t width, std::int64_t stride_h,
                               std::int64_t dh, std::int64_t dw, const float* const* grad,
                               std::int64_t out_h, std::int64_t out_w, float* partial) {
    const std::int64_t full = out_w / 8 * 8;
    const __m256i tail = lane_mask(out_w - full);
    for (int t = 0; t < 9; ++t) {
        const std::int64_t offset = (t / 3) * dh * width + (t % 3) * dw;
        __m256 acc[CB];
        for (int c = 0; c < CB; ++c)
            acc[c] = _mm256_loadu_ps(partial + (c * 9 + t) * 8);
        for (std::int64_t oh = 0; oh < out_h; ++oh) {
            const float* x = pad + oh * stride_h * width + offset;
            const std::int64_t row = oh * out_w;
            std::int64_t i = 0;
            for (; i < full; i += 8) {
                const __m256 xv = _mm256_loadu_ps(x + i);
                for (int c = 0; c < CB; ++c)
                    acc[c] = _mm256_fmadd_ps(_mm256_loadu_ps(grad[c] + row + i), xv, acc[c]);
            }
            if (i < out_w) {
                const __m256 xv = _mm256_maskload_ps(x + i, tail);
                for (int c = 0; c < CB; ++c)
                    acc[c] =
                        _mm256_fmadd_ps(_mm256_maskload_ps(grad[c] + row + i, tail), xv, acc[c]);
            }
        }
        for (int c = 0; c < CB; ++c)
            _mm256_storeu_ps(partial + (c * 9 + t) * 8, acc[c]);
    }
}

} // namespace nnscope::kernels::avx2

#endif
