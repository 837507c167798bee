#pragma once
// Internal: direct 2-D convolution for groups of one input channel (the first layer of an image
// model, depthwise layers). im2col + GEMM would multiply with an inner dimension of kh·kw (9):
// building the column matrix costs more than the arithmetic. Here each input plane is copied
// once into a zero-padded plane, and every output row sums kh·kw shifted rows of it, a loop
// over contiguous columns (bias first, then the taps row by row). float32 3x3 kernels with unit
// column stride take the AVX2 + FMA kernels of direct_conv_avx2.h when the target has them.

#include "engine/ops/kernels/direct_conv_avx2.h"
#include "engine/ops/kernels/im2col.h"

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace nnscope::kernels {

// One input plane surrounded by its zero padding.
template <class T> class PaddedPlane {
public:
    explicit PaddedPlane(const ConvGeometry& g)
        : g_(g)
        , width_(g.in_w + 2 * g.pad_w)
        , data_(static_cast<std::size_t>((g.in_h + 2 * g.pad_h) * width_), T(0)) {}

    std::int64_t width() const { return width_; }
    T* data() { return data_.data(); }
    const T* data() const { return data_.data(); }
    // Copies a plane into the interior; the border stays zero.
    void load(const T* plane) {
        for (std::int64_t ih = 0; ih < g_.in_h; ++ih)
            std::copy(plane + ih * g_.in_w, plane + (ih + 1) * g_.in_w, interior(ih));
    }
    void clear() { std::fill(data_.begin(), data_.end(), T(0)); }
    // Adds the interior onto a plane (the adjoint of load).
    void add_to(T* plane) const {
        for (std::int64_t ih = 0; ih < g_.in_h; ++ih) {
            const T* src = data_.data() + (ih + g_.pad_h) * width_ + g_.pad_w;
            T* dst = plane + ih * g_.in_w;
            for (std::int64_t iw = 0; iw < g_.in_w; ++iw)
                dst[iw] += src[iw];
        }
    }

private:
    T* interior(std::int64_t ih) { return data_.data() + (ih + g_.pad_h) * width_ + g_.pad_w; }

    ConvGeometry g_;
    std::int64_t width_;
    std::vector<T> data_;
};

// Offset in the padded plane of tap (ki, kj) for output (oh, 0).
inline std::int64_t tap_offset(const ConvGeometry& g, std::int64_t width, std::int64_t oh,
                               std::int64_t ki, std::int64_t kj) {
    return (oh * g.stride_h + ki * g.dilation_h) * width + kj * g.dilation_w;
}

// One output row of a 3x3 kernel with unit column stride: nine taps summed in one pass, rows
// `row_step` and columns `col_step` apart in the padded plane.
template <class T>
void three_by_three_row(const T* src, std::int64_t row_step, std::int64_t col_step, const T* w,
                        T bias, T* __restrict out, std::int64_t count) {
    const T* r0 = src;
    const T* r1 = src + row_step;
    const T* r2 = src + 2 * row_step;
    const std::int64_t d1 = col_step, d2 = 2 * col_step;
    const T w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7],
            w8 = w[8];
    for (std::int64_t i = 0; i < count; ++i) {
        T acc = bias;
        acc += w0 * r0[i];
        acc += w1 * r0[i + d1];
        acc += w2 * r0[i + d2];
        acc += w3 * r1[i];
        acc += w4 * r1[i + d1];
        acc += w5 * r1[i + d2];
        acc += w6 * r2[i];
        acc += w7 * r2[i + d1];
        acc += w8 * r2[i + d2];
        out[i] = acc;
    }
}

// out (one output plane) = bias + sum over taps of w[tap] · shifted input. KH, KW fix the kernel
// size at compile time (0: read it from g) so that the 3x3 taps unroll into one pass per row.
template <class T, int KH, int KW>
void direct_forward_plane(const PaddedPlane<T>& in, const T* w, T bias, T* out,
                          const ConvGeometry& g) {
    const std::int64_t kh = KH ? KH : g.kernel_h, kw = KW ? KW : g.kernel_w;
    const std::int64_t width = in.width();
    for (std::int64_t oh = 0; oh < g.out_h; ++oh) {
        T* o = out + oh * g.out_w;
        if constexpr (KH == 3 && KW == 3) {
            if (g.stride_w == 1) {
                three_by_three_row(in.data() + tap_offset(g, width, oh, 0, 0), g.dilation_h * width,
                                   g.dilation_w, w, bias, o, g.out_w);
                continue;
            }
        }
        std::fill(o, o + g.out_w, bias);
        for (std::int64_t ki = 0; ki < kh; ++ki)
            for (std::int64_t kj = 0; kj < kw; ++kj) {
                const T tap = w[ki * kw + kj];
                const T* src = in.data() + tap_offset(g, width, oh, ki, kj);
                for (std::int64_t ow = 0; ow < g.out_w; ++ow)
                    o[ow] += tap * src[ow * g.stride_w];
            }
    }
}

// The weight gradient of one output channel over one plane: acc[tap·out_w + ow] += the products
// of column ow, summed over rows (elementwise, so it vectorises without reassociating a sum);
// the caller folds acc's columns into the gradient at the end.
template <class T, int KH, int KW>
void direct_weight_grad_plane(const PaddedPlane<T>& in, const T* grad, T* acc,
                              const ConvGeometry& g) {
    const std::int64_t kh = KH ? KH : g.kernel_h, kw = KW ? KW : g.kernel_w;
    const std::int64_t width = in.width();
    for (std::int64_t oh = 0; oh < g.out_h; ++oh) {
        const T* gr = grad + oh * g.out_w;
        for (std::int64_t ki = 0; ki < kh; ++ki)
            for (std::int64_t kj = 0; kj < kw; ++kj) {
                const T* src = in.data() + tap_offset(g, width, oh, ki, kj);
                T* a = acc + (ki * kw + kj) * g.out_w;
                for (std::int64_t ow = 0; ow < g.out_w; ++ow)
                    a[ow] += gr[ow] * src[ow * g.stride_w];
            }
    }
}

// The input gradient of one output channel: the padded plane gets w[tap] · grad added at every
// position the tap read.
template <class T>
void direct_input_grad_plane(PaddedPlane<T>& gin, const T* w, const T* grad,
                             const ConvGeometry& g) {
    const std::int64_t width = gin.width();
    for (std::int64_t oh = 0; oh < g.out_h; ++oh) {
        const T* gr = grad + oh * g.out_w;
        for (std::int64_t ki = 0; ki < g.kernel_h; ++ki)
            for (std::int64_t kj = 0; kj < g.kernel_w; ++kj) {
                const T tap = w[ki * g.kernel_w + kj];
                T* dst = gin.data() + tap_offset(g, width, oh, ki, kj);
                for (std::int64_t ow = 0; ow < g.out_w; ++ow)
                    dst[ow * g.stride_w] += tap * gr[ow];
            }
    }
}

// x, gx: [batch, groups, H, W] (one input channel per group); w: [groups·cout, 1, kh, kw];
// out, g: [batch, groups·cout, out_h, out_w]. The functions below take a range [first, last)
// of (item, group) pairs, pair i = item·groups + group: its input plane is plane i of x and its
// output planes are planes i·cout .. i·cout + cout - 1 of out. Pairs are independent, so the
// caller may spread ranges over threads. bias may be null.
template <class T>
void direct_conv_forward(const T* x, const T* w, const T* bias, T* out, std::int64_t first,
                         std::int64_t last, std::int64_t groups, std::int64_t cout,
                         const ConvGeometry& g) {
    const std::int64_t taps = g.kernel_h * g.kernel_w, in_plane = g.in_h * g.in_w;
    const std::int64_t out_plane = g.positions();
    const bool three = g.kernel_h == 3 && g.kernel_w == 3;
    PaddedPlane<T> padded(g);
    for (std::int64_t i = first; i < last; ++i) {
        const std::int64_t grp = i % groups;
        padded.load(x + i * in_plane);
        for (std::int64_t k = 0; k < cout; ++k) {
            const std::int64_t c = grp * cout + k;
            const T b = bias ? bias[c] : T(0);
            T* o = out + (i * cout + k) * out_plane;
#ifdef NNSCOPE_DIRECT_CONV_AVX2
            if constexpr (std::is_same_v<T, float>)
                if (three && g.stride_w == 1) {
                    avx2::conv3x3_plane(padded.data(), padded.width(), g.stride_h, g.dilation_h,
                                        g.dilation_w, w + c * taps, b, o, g.out_h, g.out_w);
                    continue;
                }
#endif
            if (three)
                direct_forward_plane<T, 3, 3>(padded, w + c * taps, b, o, g);
            else
                direct_forward_plane<T, 0, 0>(padded, w + c * taps, b, o, g);
        }
    }
}

// True when the weight gradient takes the AVX2 kernel (float32 3x3, unit column stride).
template <class T> bool direct_vector_weight_grad(const ConvGeometry& g) {
#ifdef NNSCOPE_DIRECT_CONV_AVX2
    return std::is_same_v<T, float> && g.kernel_h == 3 && g.kernel_w == 3 && g.stride_w == 1;
#else
    (void)g;
    return false;
#endif
}

// The weight gradient is first summed into a partial with, per output channel and tap, `width`
// partial sums: one per vector lane (vector path) or per output column (portable path).
template <class T> std::int64_t direct_partial_width(const ConvGeometry& g) {
    return direct_vector_weight_grad<T>(g) ? 8 : g.out_w;
}
template <class T> std::int64_t direct_partial_size(std::int64_t channels, const ConvGeometry& g) {
    return channels * g.kernel_h * g.kernel_w * direct_partial_width<T>(g);
}

#ifdef NNSCOPE_DIRECT_CONV_AVX2
// The weight-gradient lanes of `cout` consecutive output channels over one padded plane, four
// channels at a time (they share each input load).
inline void avx2_weight_grad(const PaddedPlane<float>& in, const float* grad, std::int64_t cout,
                             float* lanes, const ConvGeometry& g) {
    const std::int64_t plane = g.positions();
    std::int64_t c = 0;
    for (; c + 4 <= cout; c += 4) {
        const float* planes[4] = {grad + c * plane, grad + (c + 1) * plane, grad + (c + 2) * plane,
                                  grad + (c + 3) * plane};
        avx2::conv3x3_weight_grad_plane<4>(in.data(), in.width(), g.stride_h, g.dilation_h,
                                           g.dilation_w, planes, g.out_h, g.out_w,
                                           lanes + c * 9 * 8);
    }
    for (; c < cout; ++c) {
        const float* planes[1] = {grad + c * plane};
        avx2::conv3x3_weight_grad_plane<1>(in.data(), in.width(), g.stride_h, g.dilation_h,
                                           g.dilation_w, planes, g.out_h, g.out_w,
                                           lanes + c * 9 * 8);
    }
}
#endif

// The pairs [first, last): partial (direct_partial_size values, summed into; null when the
// weight gradient is not wanted) gets their weight-gradient products, and gx (zeroed, or null)
// their input gradient.
template <class T>
void direct_conv_backward(const T* x, const T* w, const T* grad, T* gx, T* partial,
                          std::int64_t first, std::int64_t last, std::int64_t groups,
                          std::int64_t cout, const ConvGeometry& g) {
    const std::int64_t taps = g.kernel_h * g.kernel_w, in_plane = g.in_h * g.in_w;
    const std::int64_t out_plane = g.positions();
    const bool three = g.kernel_h == 3 && g.kernel_w == 3;
    const bool vector_gw = partial && direct_vector_weight_grad<T>(g);
    PaddedPlane<T> padded(g), padded_grad(g);
    for (std::int64_t i = first; i < last; ++i) {
        const std::int64_t grp = i % groups;
        const T* grads = grad + i * cout * out_plane; // the pair's cout output planes
        if (partial) {
            padded.load(x + i * in_plane);
#ifdef NNSCOPE_DIRECT_CONV_AVX2
            if constexpr (std::is_same_v<T, float>)
                if (vector_gw)
                    avx2_weight_grad(padded, grads, cout, partial + grp * cout * taps * 8, g);
#endif
            for (std::int64_t k = 0; !vector_gw && k < cout; ++k) {
                T* a = partial + (grp * cout + k) * taps * g.out_w;
                if (three)
                    direct_weight_grad_plane<T, 3, 3>(padded, grads + k * out_plane, a, g);
                else
                    direct_weight_grad_plane<T, 0, 0>(padded, grads + k * out_plane, a, g);
            }
        }
        if (gx) {
            padded_grad.clear();
            for (std::int64_t k = 0; k < cout; ++k)
                direct_input_grad_plane(padded_grad, w + (grp * cout + k) * taps,
                                        grads + k * out_plane, g);
            padded_grad.add_to(gx + i * in_plane);
        }
    }
}

// gw[t] += the partial sums of (channel, tap) t added in order, for t < channels·taps.
template <class T>
void direct_fold_weight_grad(const T* partial, T* gw, std::int64_t channels,
                             const ConvGeometry& g) {
    const std::int64_t width = direct_partial_width<T>(g);
    for (std::int64_t t = 0; t < channels * g.kernel_h * g.kernel_w; ++t) {
        const T* a = partial + t * width;
        T total = T(0);
        for (std::int64_t k = 0; k < width; ++k)
            total += a[k];
        gw[t] += total;
    }
}

} // namespace nnscope::kernels
