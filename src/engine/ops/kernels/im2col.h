#pragma once
// Internal: the column matrix of a 2-D convolution and its adjoint. Row r = (c·kh + i)·kw + j
// of the columns holds, for every output position of every item of a chunk, the input value
// that kernel tap (i, j) of channel c sees there (0 in the padding); column q·P + p belongs to
// item q, output position p (P = out_h·out_w). A convolution is then one GEMM per group.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace nnscope::kernels {

struct ConvGeometry {
    std::int64_t in_h, in_w, out_h, out_w;
    std::int64_t kernel_h, kernel_w;
    std::int64_t stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;

    std::int64_t positions() const { return out_h * out_w; }

    // The output columns [lo, hi) whose input column ow·stride_w + offset lies inside the
    // input; the others read padding.
    void valid_columns(std::int64_t offset, std::int64_t& lo, std::int64_t& hi) const {
        lo = offset >= 0 ? 0 : (-offset + stride_w - 1) / stride_w;
        hi = in_w - 1 - offset < 0 ? 0 : (in_w - 1 - offset) / stride_w + 1;
        hi = std::min(hi, out_w);
        lo = std::min(lo, hi);
    }
};

// Stride 1 with out_w == in_w (a "same" convolution, the common 3x3/pad 1): output row oh reads
// input row oh + row_shift, so a tap's whole plane is one flat copy shifted by
// row_shift·in_w + col_offset, plus zeroed edge columns; no per-row calls.
struct FlatShift {
    std::int64_t oh0, oh1, lo, hi, begin, end, shift;
    bool empty() const { return oh1 <= oh0 || hi <= lo; }
};

inline bool flat_shift_applies(const ConvGeometry& g) {
    return g.stride_h == 1 && g.stride_w == 1 && g.out_w == g.in_w;
}

inline FlatShift flat_shift(const ConvGeometry& g, std::int64_t ki, std::int64_t kj) {
    FlatShift f{};
    const std::int64_t row_shift = ki * g.dilation_h - g.pad_h;
    const std::int64_t col_offset = kj * g.dilation_w - g.pad_w;
    g.valid_columns(col_offset, f.lo, f.hi);
    f.oh0 = std::clamp<std::int64_t>(-row_shift, 0, g.out_h);
    f.oh1 = std::clamp<std::int64_t>(g.in_h - row_shift, f.oh0, g.out_h);
    f.begin = f.oh0 * g.out_w + f.lo;
    f.end = f.oh1 > f.oh0 ? (f.oh1 - 1) * g.out_w + f.hi : f.begin;
    f.shift = row_shift * g.in_w + col_offset;
    return f;
}

// Zero fills of a few hundred bytes, inline: through libc every row of a column matrix cost
// calls whose overhead exceeded the work (with the copies and edge zeroing, a tenth of the cnn
// step). Whole vectors, the last one overlapping the previous, when n >= 8.
template <class T> inline void zero_row(T* dst, std::int64_t n) {
#if defined(__AVX2__)
    if constexpr (std::is_same_v<T, float>) {
        if (n >= 8) {
            const __m256 zero = _mm256_setzero_ps();
            std::int64_t i = 0;
            for (; i + 8 < n; i += 8)
                _mm256_storeu_ps(dst + i, zero);
            _mm256_storeu_ps(dst + n - 8, zero);
            return;
        }
    }
#endif
    std::fill(dst, dst + n, T(0));
}

// Per kernel column kj, -1 at the output positions whose input column lies inside the input
// and 0 where it reads padding: the flat-shift paths keep or drop each value with a bitwise
// and, in one vector pass per row, instead of zeroing edge columns one by one.
template <class T> class ColumnMasks {
public:
    explicit ColumnMasks(const ConvGeometry& g)
        : positions_(g.positions())
        , keep_(static_cast<std::size_t>(g.kernel_w * g.positions())) {
        for (std::int64_t kj = 0; kj < g.kernel_w; ++kj) {
            std::int64_t lo, hi;
            g.valid_columns(kj * g.dilation_w - g.pad_w, lo, hi);
            std::int32_t* m = keep_.data() + kj * positions_;
            for (std::int64_t p = 0; p < positions_; ++p) {
                const std::int64_t ow = p % g.out_w;
                m[p] = ow >= lo && ow < hi ? -1 : 0;
            }
        }
    }
    const std::int32_t* operator[](std::int64_t kj) const { return keep_.data() + kj * positions_; }

private:
    std::int64_t positions_;
    std::vector<std::int32_t> keep_;
};

// dst[i] = keep[i] ? src[i] : 0 for i < n.
template <class T>
inline void masked_copy_row(T* dst, const T* src, const std::int32_t* keep, std::int64_t n) {
    std::int64_t i = 0;
#if defined(__AVX2__)
    if constexpr (std::is_same_v<T, float>) {
        auto step = [&](std::int64_t at) {
            const __m256 m = _mm256_castsi256_ps(
                _mm256_loadu_si256(reinterpret_cast<const __m256i*>(keep + at)));
            _mm256_storeu_ps(dst + at, _mm256_and_ps(_mm256_loadu_ps(src + at), m));
        };
        if (n >= 8) {
            for (; i + 8 < n; i += 8)
                step(i);
            step(n - 8); // overlaps the previous vector: the same values again
            return;
        }
    }
#endif
    for (; i < n; ++i)
        dst[i] = keep[i] ? src[i] : T(0);
}

// dst[i] += keep[i] ? src[i] : 0 for i < n.
template <class T>
inline void masked_add_row(T* dst, const T* src, const std::int32_t* keep, std::int64_t n) {
    std::int64_t i = 0;
#if defined(__AVX2__)
    if constexpr (std::is_same_v<T, float>) {
        for (; i + 8 <= n; i += 8) {
            const __m256 m =
                _mm256_castsi256_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(keep + i)));
            _mm256_storeu_ps(dst + i, _mm256_add_ps(_mm256_loadu_ps(dst + i),
                                                    _mm256_and_ps(_mm256_loadu_ps(src + i), m)));
        }
    }
#endif
    for (; i < n; ++i)
        dst[i] += keep[i] ? src[i] : T(0);
}

// x points at channel 0 of the chunk's first item; items are item_stride apart, channels
// in_h·in_w apart. col has channels·kh·kw rows of items·P values, leading dimension ld.
template <class T>
void im2col(const T* x, std::int64_t item_stride, std::int64_t items, std::int64_t channels,
            const ConvGeometry& g, T* col, std::int64_t ld) {
    const std::int64_t plane = g.in_h * g.in_w, positions = g.positions();
    if (flat_shift_applies(g)) {
        const ColumnMasks<T> masks(g);
        for (std::int64_t c = 0; c < channels; ++c)
            for (std::int64_t ki = 0; ki < g.kernel_h; ++ki)
                for (std::int64_t kj = 0; kj < g.kernel_w; ++kj) {
                    const FlatShift f = flat_shift(g, ki, kj);
                    T* row = col + ((c * g.kernel_h + ki) * g.kernel_w + kj) * ld;
                    for (std::int64_t q = 0; q < items; ++q) {
                        T* dst = row + q * positions;
                        if (f.empty()) {
                            zero_row(dst, positions);
                            continue;
                        }
                        const T* src = x + q * item_stride + c * plane;
                        zero_row(dst, f.begin);
                        zero_row(dst + f.end, positions - f.end);
                        masked_copy_row(dst + f.begin, src + f.begin + f.shift, masks[kj] + f.begin,
                                        f.end - f.begin);
                    }
                }
        return;
    }
    for (std::int64_t c = 0; c < channels; ++c)
        for (std::int64_t ki = 0; ki < g.kernel_h; ++ki)
            for (std::int64_t kj = 0; kj < g.kernel_w; ++kj) {
                T* row = col + ((c * g.kernel_h + ki) * g.kernel_w + kj) * ld;
                const std::int64_t col_offset = kj * g.dilation_w - g.pad_w;
                std::int64_t lo, hi;
                g.valid_columns(col_offset, lo, hi);
                for (std::int64_t q = 0; q < items; ++q) {
                    const T* src = x + q * item_stride + c * plane;
                    T* dst = row + q * positions;
                    for (std::int64_t oh = 0; oh < g.out_h; ++oh, dst += g.out_w) {
                        const std::int64_t ih = oh * g.stride_h - g.pad_h + ki * g.dilation_h;
                        if (ih < 0 || ih >= g.in_h) {
                            std::fill(dst, dst + g.out_w, T(0));
                            continue;
                        }
                        // Indices, not shifted pointers: col_offset may be negative.
                        const std::int64_t base = ih * g.in_w + col_offset;
                        std::fill(dst, dst + lo, T(0));
                        if (g.stride_w == 1 && hi > lo)
                            std::memcpy(dst + lo, src + base + lo, sizeof(T) * (hi - lo));
                        else if (g.stride_w != 1)
                            for (std::int64_t ow = lo; ow < hi; ++ow)
                                dst[ow] = src[base + ow * g.stride_w];
                        std::fill(dst + hi, dst + g.out_w, T(0));
                    }
                }
            }
}

// The adjoint of im2col: adds every column value back onto the input position it was read
// from (padding values are dropped). gx must be initialised by the caller. The flat-shift path
// keeps or drops each value with its column mask and adds a row per plane in one pass.
template <class T>
void col2im(T* col, std::int64_t ld, std::int64_t items, std::int64_t channels,
            const ConvGeometry& g, T* gx, std::int64_t item_stride) {
    const std::int64_t plane = g.in_h * g.in_w, positions = g.positions();
    if (flat_shift_applies(g)) {
        const ColumnMasks<T> masks(g);
        for (std::int64_t c = 0; c < channels; ++c)
            for (std::int64_t ki = 0; ki < g.kernel_h; ++ki)
                for (std::int64_t kj = 0; kj < g.kernel_w; ++kj) {
                    const FlatShift f = flat_shift(g, ki, kj);
                    if (f.empty()) continue;
                    const T* row = col + ((c * g.kernel_h + ki) * g.kernel_w + kj) * ld;
                    for (std::int64_t q = 0; q < items; ++q) {
                        T* dst = gx + q * item_stride + c * plane;
                        masked_add_row(dst + f.begin + f.shift, row + q * positions + f.begin,
                                       masks[kj] + f.begin, f.end - f.begin);
                    }
                }
        return;
    }
    for (std::int64_t c = 0; c < channels; ++c)
        for (std::int64_t ki = 0; ki < g.kernel_h; ++ki)
            for (std::int64_t kj = 0; kj < g.kernel_w; ++kj) {
                const T* row = col + ((c * g.kernel_h + ki) * g.kernel_w + kj) * ld;
                const std::int64_t col_offset = kj * g.dilation_w - g.pad_w;
                std::int64_t lo, hi;
                g.valid_columns(col_offset, lo, hi);
                for (std::int64_t q = 0; q < items; ++q) {
                    T* dst_plane = gx + q * item_stride + c * plane;
                    const T* src = row + q * positions;
                    for (std::int64_t oh = 0; oh < g.out_h; ++oh, src += g.out_w) {
                        const std::int64_t ih = oh * g.stride_h - g.pad_h + ki * g.dilation_h;
                        if (ih < 0 || ih >= g.in_h) continue;
                        const std::int64_t base = ih * g.in_w + col_offset;
                        if (hi <= lo) continue;
                        if (g.stride_w == 1) {
                            T* out = dst_plane + base + lo;
                            for (std::int64_t ow = 0; ow < hi - lo; ++ow)
                                out[ow] += src[lo + ow];
                        } else {
                            for (std::int64_t ow = lo; ow < hi; ++ow)
                                dst_plane[base + ow * g.stride_w] += src[ow];
                        }
                    }
                }
            }
}

} // namespace nnscope::kernels
