// Max and average pooling over the planes of NCHW (or CHW) tensors, with PyTorch 1.13's window
// rules: ceil_mode drops a last window that would start in the right padding, max keeps the
// first maximum (NaN wins and propagates), avg divides by the padded or the valid window size
// or by divisor_override. Max pooling records the winning index per output for backward.

#include "engine/autograd/node.h"
#include "engine/ops/conv.h"
#include "engine/ops/scalar_type_name.h"
#include "engine/ops/strided.h"
#include "engine/parallel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>
#include <vector>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

namespace nnscope {

using autograd::Node;
using autograd::SavedTensor;
using autograd::TensorList;

namespace {

struct PoolGeometry {
    std::int64_t planes, in_h, in_w, out_h, out_w;
    std::int64_t kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w;
};

// PyTorch's pooling_output_shape.
std::int64_t pooled_size(std::int64_t in, std::int64_t kernel, std::int64_t pad,
                         std::int64_t stride, std::int64_t dilation, bool ceil_mode) {
    const std::int64_t numerator =
        in + 2 * pad - dilation * (kernel - 1) - 1 + (ceil_mode ? stride - 1 : 0);
    // Floor division: the numerator may be negative for a window larger than the input.
    std::int64_t out =
        (numerator >= 0 ? numerator / stride : -((-numerator + stride - 1) / stride)) + 1;
    // The last window must start inside the input or the left padding.
    if (ceil_mode && (out - 1) * stride >= in + pad) --out;
    return out;
}

PoolGeometry check_pool(const Tensor& x, Pair kernel, Pair stride, Pair padding, Pair dilation,
                        bool ceil_mode) {
    if (stride[0] == 0 || stride[1] == 0) throw std::invalid_argument("stride should not be zero");
    if (kernel[0] <= 0 || kernel[1] <= 0)
        throw std::invalid_argument(
            "kernel size should be greater than zero, but got kH: " + std::to_string(kernel[0]) +
            " kW: " + std::to_string(kernel[1]));
    if (stride[0] < 0 || stride[1] < 0)
        throw std::invalid_argument(
            "stride should be greater than zero, but got dH: " + std::to_string(stride[0]) +
            " dW: " + std::to_string(stride[1]));
    if (dilation[0] <= 0 || dilation[1] <= 0)
        throw std::invalid_argument("dilation should be greater than zero, but got dilationH: " +
                                    std::to_string(dilation[0]) +
                                    " dilationW: " + std::to_string(dilation[1]));
    if (x.dim() != 3 && x.dim() != 4)
        throw std::invalid_argument("non-empty 3D or 4D (batch mode) tensor expected for input");
    const std::int64_t d = x.dim();
    const bool valid_dims = x.size(d - 3) != 0 && x.size(d - 2) != 0;
    if (!(d == 3 && x.size(0) != 0 && valid_dims) && !(d == 4 && valid_dims && x.size(3) != 0))
        throw std::invalid_argument("Expected 3D or 4D (batch mode) tensor with optional 0 dim "
                                    "batch size for input, but got:" +
                                    shape_to_string(x.shape()));
    if (padding[0] < 0 || padding[1] < 0 || kernel[1] / 2 < padding[1] ||
        kernel[0] / 2 < padding[0])
        throw std::invalid_argument(
            "pad should be at most half of kernel size, but got pad=" + std::to_string(padding[1]) +
            " and kernel_size=" + std::to_string(kernel[1]));
    PoolGeometry g{};
    g.in_h = x.size(-2);
    g.in_w = x.size(-1);
    const std::int64_t channels = x.size(-3);
    g.planes = channels * (d == 4 ? x.size(0) : 1);
    g.kernel_h = kernel[0];
    g.kernel_w = kernel[1];
    g.stride_h = stride[0];
    g.stride_w = stride[1];
    g.pad_h = padding[0];
    g.pad_w = padding[1];
    g.dilation_h = dilation[0];
    g.dilation_w = dilation[1];
    g.out_h = pooled_size(g.in_h, kernel[0], padding[0], stride[0], dilation[0], ceil_mode);
    g.out_w = pooled_size(g.in_w, kernel[1], padding[1], stride[1], dilation[1], ceil_mode);
    if (g.out_h < 1 || g.out_w < 1)
        throw std::invalid_argument("Given input size: (" + std::to_string(channels) + "x" +
                                    std::to_string(g.in_h) + "x" + std::to_string(g.in_w) +
                                    "). Calculated output size: (" + std::to_string(channels) +
                                    "x" + std::to_string(g.out_h) + "x" + std::to_string(g.out_w) +
                                    "). Output size is too small");
    return g;
}

Shape pooled_shape(const Tensor& x, const PoolGeometry& g) {
    Shape shape = x.shape();
    shape[shape.size() - 2] = g.out_h;
    shape[shape.size() - 1] = g.out_w;
    return shape;
}

// The first window position at or after `start` that lies inside [0, extent).
inline std::int64_t first_inside(std::int64_t start, std::int64_t step) {
    while (start < 0)
        start += step;
    return start;
}

constexpr std::int64_t pool_slack = 8;
constexpr std::int64_t unbounded = std::numeric_limits<std::int64_t>::max() / 4;

// Planes are independent: the team takes them in pieces of about kCheapGrain input elements.
// fn(first, last, exact_end) handles planes [first, last); exact_end says that the memory after
// plane last - 1 belongs to another thread, so the kernels must not spill into it.
template <class Fn> void for_planes(const PoolGeometry& g, Fn&& fn) {
    const std::int64_t grain =
        std::max<std::int64_t>(1, detail::kCheapGrain / std::max<std::int64_t>(1, g.in_h * g.in_w));
    parallel::parallel_for(g.planes, grain, [&](std::int64_t first, std::int64_t last) {
        fn(first, last, last < g.planes);
    });
}

// A contiguous tensor with `slack` writable elements past its end.
Tensor empty_with_slack(const Shape& shape, DType dtype, std::int64_t slack = pool_slack) {
    const auto count = static_cast<std::size_t>(shape_numel(shape) + slack);
    return Tensor::from_storage(Storage::allocate(count * element_size(dtype)), dtype, shape,
                                contiguous_strides(shape), 0);
}

// PyTorch's update rule: a later value wins when greater, or when NaN (so the last NaN wins).
template <class T> inline bool replaces(T candidate, T best) {
    return (candidate > best) | (candidate != candidate);
}

// The 2x2/2 window over one plane of even width, fully inside. Column pairs first, over the
// whole plane in one flat loop (pairs never straddle rows), then row pairs: the same winner as
// comparing the four values in row-major order, since every first-pair index precedes every
// second-pair one. Both loops are branch-free selects the compiler vectorises. Rows of 7 or 14
// outputs would leave most of the work to scalar (mispredicting) remainders, so each row runs
// in whole vectors of `pool_slack` and spills into the next row, which overwrites it later;
// dst, idx and the pair buffers carry pool_slack spare elements for the last row.
// `room`: the outputs writable from the plane's start before memory another thread owns
// (unbounded when the piece is the tensor's end). With rows narrower than a vector a row's spill
// can cross several rows, even planes, so every row is cut at that bound, not only the last.
template <class T>
void max_pool_2x2(const T* src, T* dst, std::int32_t* idx, const PoolGeometry& g, T* pair_max,
                  std::int32_t* pair_at, std::int64_t room) {
    const std::int64_t pairs = g.in_h * g.out_w;
    // pair_at: the winner's plane-local index (pairs are consecutive, so it is 2i or 2i + 1).
    for (std::int64_t i = 0; i < pairs; ++i) {
        const T a = src[2 * i], b = src[2 * i + 1];
        const bool second = replaces(b, a);
        pair_max[i] = second ? b : a;
        pair_at[i] = static_cast<std::int32_t>(2 * i) + static_cast<std::int32_t>(second);
    }
    const std::int64_t wide = (g.out_w + pool_slack - 1) / pool_slack * pool_slack;
    for (std::int64_t oh = 0; oh < g.out_h; ++oh) {
        const T* top = pair_max + 2 * oh * g.out_w;
        const T* bottom = top + g.out_w;
        const std::int32_t* top_at = pair_at + 2 * oh * g.out_w;
        const std::int32_t* bottom_at = top_at + g.out_w;
        T* out = dst + oh * g.out_w;
        std::int32_t* out_at = idx + oh * g.out_w;
        // A row's spill may reach rows below it and, from the last rows, the next plane.
        const std::int64_t limit = std::min(wide, room - oh * g.out_w);
        for (std::int64_t ow = 0; ow < limit; ++ow) {
            const bool lower = replaces(bottom[ow], top[ow]);
            out[ow] = lower ? bottom[ow] : top[ow];
            out_at[ow] = lower ? bottom_at[ow] : top_at[ow];
        }
    }
}

// Winners are plane-local indices; -1 marks a window that saw no input (output -inf).
template <class T>
void max_pool_forward(const T* x, T* out, std::int32_t* index, const PoolGeometry& g,
                      std::int64_t first, std::int64_t last, bool exact_end) {
    const std::int64_t in_plane = g.in_h * g.in_w, out_plane = g.out_h * g.out_w;
    const bool two_by_two = g.kernel_h == 2 && g.kernel_w == 2 && g.stride_h == 2 &&
                            g.stride_w == 2 && g.pad_h == 0 && g.pad_w == 0 && g.dilation_h == 1 &&
                            g.dilation_w == 1 && 2 * g.out_h <= g.in_h && 2 * g.out_w == g.in_w;
    std::vector<T> pair_max(two_by_two ? static_cast<std::size_t>(g.in_h * g.out_w + pool_slack)
                                       : 0);
    std::vector<std::int32_t> pair_at(pair_max.size());
    for (std::int64_t p = first; p < last; ++p) {
        const T* src = x + p * in_plane;
        T* dst = out + p * out_plane;
        std::int32_t* idx = index + p * out_plane;
        if (two_by_two) {
            max_pool_2x2(src, dst, idx, g, pair_max.data(), pair_at.data(),
                         exact_end ? (last - p) * out_plane : unbounded);
            continue;
        }
        for (std::int64_t oh = 0; oh < g.out_h; ++oh) {
            const std::int64_t h_start = oh * g.stride_h - g.pad_h;
            const std::int64_t h_end =
                std::min(h_start + (g.kernel_h - 1) * g.dilation_h + 1, g.in_h);
            const std::int64_t h0 = first_inside(h_start, g.dilation_h);
            for (std::int64_t ow = 0; ow < g.out_w; ++ow) {
                const std::int64_t w_start = ow * g.stride_w - g.pad_w;
                const std::int64_t w_end =
                    std::min(w_start + (g.kernel_w - 1) * g.dilation_w + 1, g.in_w);
                const std::int64_t w0 = first_inside(w_start, g.dilation_w);
                T best = -std::numeric_limits<T>::infinity();
                std::int64_t at = h0 < h_end && w0 < w_end ? h0 * g.in_w + w0 : -1;
                for (std::int64_t ih = h0; ih < h_end; ih += g.dilation_h)
                    for (std::int64_t iw = w0; iw < w_end; iw += g.dilation_w) {
                        const T v = src[ih * g.in_w + iw];
                        if (v > best || std::isnan(v)) {
                            best = v;
                            at = ih * g.in_w + iw;
                        }
                    }
                dst[oh * g.out_w + ow] = best;
                idx[oh * g.out_w + ow] = static_cast<std::int32_t>(at);
            }
        }
    }
}

// Spare elements past the end of a tiling max pool's input gradient, for the vector spill below.
constexpr std::int64_t pool_backward_slack = 16;

// The input gradient of one plane under tiling 2x2/2 windows: every input is written once, its
// window's gradient where it won and 0 elsewhere (no zero fill, then scatter, of the plane).
// AVX2 (float32): eight windows give 16 values of a row. Masked stores are slow on AMD CPUs, so
// a row's last vector spills whole into the following memory instead: the row below, written
// after it (hence all top rows of a pair before the bottom ones), or the next pair or plane,
// or the pool_backward_slack past the end.
// `room`: the elements writable from the plane's start before memory another thread owns.
// Every vector that would reach past it goes through a buffer: with rows narrower than 16, top
// rows, rows of earlier pairs and even earlier planes reach that far, not only the last row.
template <class T>
void max_pool_2x2_backward(const T* grad, const std::int32_t* at, T* plane, const PoolGeometry& g,
                           std::int64_t room) {
    const std::int64_t w = g.in_w;
    const auto wide = static_cast<std::int32_t>(w);
    for (std::int64_t oh = 0; oh < g.out_h; ++oh) {
        T* r0 = plane + 2 * oh * w;
        T* r1 = r0 + w;
        const T* gr = grad + oh * g.out_w;
        const std::int32_t* ar = at + oh * g.out_w;
        const auto row_base = static_cast<std::int32_t>(2 * oh * w);
#if defined(__AVX2__)
        if constexpr (std::is_same_v<T, float>) {
            const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
            for (int half = 0; half < 2; ++half) {
                T* row = half == 0 ? r0 : r1;
                const __m256i left_offset = _mm256_set1_epi32(half == 0 ? 0 : wide);
                const __m256i right_offset = _mm256_set1_epi32(half == 0 ? 1 : wide + 1);
                for (std::int64_t ow = 0; ow < g.out_w; ow += 8) {
                    // Lanes past the row read nothing (masked loads are cheap).
                    const std::int64_t left = std::min<std::int64_t>(g.out_w - ow, 8);
                    const __m256i in_row =
                        _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(left)), lanes);
                    const __m256i base = _mm256_add_epi32(
                        _mm256_set1_epi32(row_base + static_cast<std::int32_t>(2 * ow)),
                        _mm256_add_epi32(lanes, lanes));
                    const __m256i rel = _mm256_sub_epi32(
                        _mm256_maskload_epi32(reinterpret_cast<const int*>(ar + ow), in_row), base);
                    const __m256 v = _mm256_maskload_ps(gr + ow, in_row);
                    const __m256 even =
                        _mm256_and_ps(v, _mm256_castsi256_ps(_mm256_cmpeq_epi32(rel, left_offset)));
                    const __m256 odd = _mm256_and_ps(
                        v, _mm256_castsi256_ps(_mm256_cmpeq_epi32(rel, right_offset)));
                    // Interleaved: [even_0, odd_0, even_1, odd_1, ...], 16 values.
                    const __m256 lo = _mm256_unpacklo_ps(even, odd);
                    const __m256 hi = _mm256_unpackhi_ps(even, odd);
                    if ((row - plane) + 2 * ow + 16 > room) {
                        alignas(32) float buffer[16];
                        _mm256_store_ps(buffer, _mm256_permute2f128_ps(lo, hi, 0x20));
                        _mm256_store_ps(buffer + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
                        std::copy_n(buffer, 2 * left, row + 2 * ow);
                        continue;
                    }
                    _mm256_storeu_ps(row + 2 * ow, _mm256_permute2f128_ps(lo, hi, 0x20));
                    _mm256_storeu_ps(row + 2 * ow + 8, _mm256_permute2f128_ps(lo, hi, 0x31));
                }
            }
            continue;
        }
#endif
        for (std::int64_t ow = 0; ow < g.out_w; ++ow) {
            const std::int32_t rel = ar[ow] - (row_base + static_cast<std::int32_t>(2 * ow));
            const T v = gr[ow];
            r0[2 * ow] = rel == 0 ? v : T(0);
            r0[2 * ow + 1] = rel == 1 ? v : T(0);
            r1[2 * ow] = rel == wide ? v : T(0);
            r1[2 * ow + 1] = rel == wide + 1 ? v : T(0);
        }
    }
}

class MaxPool2dBackward final : public Node {
public:
    SavedTensor indices; // int32, one per output
    Shape input_shape;
    PoolGeometry geo{};
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined() || !needs_input_grad(0)) return {Tensor()};
        const Tensor g = grads[0].contiguous();
        // Tiling windows (2x2/2) cover every input once: write each window instead of zeroing
        // the whole input first (max_pool_2x2_backward).
        const bool tiling = geo.kernel_h == geo.stride_h && geo.kernel_w == geo.stride_w &&
                            geo.kernel_h == 2 && geo.kernel_w == 2 && geo.pad_h == 0 &&
                            geo.pad_w == 0 && geo.dilation_h == 1 && geo.dilation_w == 1 &&
                            2 * geo.out_w == geo.in_w && 2 * geo.out_h == geo.in_h;
        Tensor gx = tiling ? empty_with_slack(input_shape, g.dtype(), pool_backward_slack)
                           : Tensor::zeros(input_shape, g.dtype());
        const auto* idx = reinterpret_cast<const std::int32_t*>(indices.get().raw_data());
        dispatch_floating(g.dtype(), "max_pool2d", [&](auto tag) {
            using T = decltype(tag);
            const T* src = g.data_ptr<T>();
            T* dst = gx.data_ptr<T>();
            const std::int64_t in_plane = geo.in_h * geo.in_w, out_plane = geo.out_h * geo.out_w;
            for_planes(geo, [&](std::int64_t first, std::int64_t last, bool exact_end) {
                for (std::int64_t p = first; p < last; ++p) {
                    T* plane = dst + p * in_plane;
                    const T* grad = src + p * out_plane;
                    const std::int32_t* at = idx + p * out_plane;
                    if (tiling) {
                        max_pool_2x2_backward(grad, at, plane, geo,
                                              exact_end ? (last - p) * in_plane : unbounded);
                        continue;
                    }
                    // Winners are plane-local: each plane's sums stay with its thread.
                    for (std::int64_t o = 0; o < out_plane; ++o)
                        if (at[o] >= 0) plane[at[o]] += grad[o];
                }
            });
        });
        return {gx};
    }
    std::string name() const override { return "MaxPool2DWithIndicesBackward0"; }
    void release_variables() override { indices.release(); }
};

struct AvgWindow {
    std::int64_t h0, h1, w0, w1;
    double divisor;
};

// PyTorch's cpu_avg_pool window: the padded window gives the count_include_pad size, the
// clipped one the valid size.
AvgWindow avg_window(const PoolGeometry& g, std::int64_t oh, std::int64_t ow,
                     bool count_include_pad, std::int64_t divisor_override) {
    std::int64_t h0 = oh * g.stride_h - g.pad_h, w0 = ow * g.stride_w - g.pad_w;
    std::int64_t h1 = std::min(h0 + g.kernel_h, g.in_h + g.pad_h);
    std::int64_t w1 = std::min(w0 + g.kernel_w, g.in_w + g.pad_w);
    const std::int64_t padded = (h1 - h0) * (w1 - w0);
    h0 = std::max<std::int64_t>(h0, 0);
    w0 = std::max<std::int64_t>(w0, 0);
    h1 = std::min(h1, g.in_h);
    w1 = std::min(w1, g.in_w);
    double divisor = static_cast<double>(count_include_pad ? padded : (h1 - h0) * (w1 - w0));
    if (divisor_override != 0) divisor = static_cast<double>(divisor_override);
    return {h0, h1, w0, w1, divisor};
}

// Calls fn(in_plane_offset, out_index, window) for every output of every plane, skipping
// windows that see no input (their output is 0 and they get no gradient).
// Planes go to the team (fn only touches the plane it is called for); within a plane the
// windows come in row-major order.
template <class Fn>
void for_each_avg_window(const PoolGeometry& g, bool count_include_pad,
                         std::int64_t divisor_override, Fn&& fn) {
    for_planes(g, [&](std::int64_t first, std::int64_t last, bool) {
        for (std::int64_t p = first; p < last; ++p)
            for (std::int64_t oh = 0; oh < g.out_h; ++oh)
                for (std::int64_t ow = 0; ow < g.out_w; ++ow) {
                    const AvgWindow win =
                        avg_window(g, oh, ow, count_include_pad, divisor_override);
                    if (win.h0 < win.h1 && win.w0 < win.w1)
                        fn(p * g.in_h * g.in_w, (p * g.out_h + oh) * g.out_w + ow, win);
                }
    });
}

class AvgPool2dBackward final : public Node {
public:
    Shape input_shape;
    PoolGeometry geo{};
    bool count_include_pad = true;
    std::int64_t divisor_override = 0;
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined() || !needs_input_grad(0)) return {Tensor()};
        const Tensor g = grads[0].contiguous();
        Tensor gx = Tensor::zeros(input_shape, g.dtype());
        dispatch_floating(g.dtype(), "avg_pool2d", [&](auto tag) {
            using T = decltype(tag);
            const T* src = g.data_ptr<T>();
            T* dst = gx.data_ptr<T>();
            for_each_avg_window(geo, count_include_pad, divisor_override,
                                [&](std::int64_t plane, std::int64_t o, const AvgWindow& win) {
                                    const T share = src[o] / static_cast<T>(win.divisor);
                                    for (std::int64_t ih = win.h0; ih < win.h1; ++ih)
                                        for (std::int64_t iw = win.w0; iw < win.w1; ++iw)
                                            dst[plane + ih * geo.in_w + iw] += share;
                                });
        });
        return {gx};
    }
    std::string name() const override { return "AvgPool2DBackward0"; }
};

} // namespace

Tensor max_pool2d(const Tensor& x, Pair kernel_size, Pair stride, Pair padding, Pair dilation,
                  bool ceil_mode) {
    const PoolGeometry g = check_pool(x, kernel_size, stride, padding, dilation, ceil_mode);
    if (!x.is_floating_point())
        throw std::invalid_argument("\"max_pool2d\" not implemented for '" +
                                    std::string(detail::scalar_type_name(x.dtype())) + "'");
    const Tensor xc = x.detach().contiguous();
    Tensor out = empty_with_slack(pooled_shape(x, g), x.dtype());
    Tensor indices = empty_with_slack(out.shape(), DType::Int32);
    dispatch_floating(x.dtype(), "max_pool2d", [&](auto tag) {
        using T = decltype(tag);
        for_planes(g, [&](std::int64_t first, std::int64_t last, bool exact_end) {
            max_pool_forward<T>(xc.data_ptr<T>(), out.data_ptr<T>(),
                                indices.data_ptr<std::int32_t>(), g, first, last, exact_end);
        });
    });
    if (autograd::any_requires_grad({&x})) {
        auto node = std::make_shared<MaxPool2dBackward>();
        node->indices = SavedTensor(indices);
        node->input_shape = x.shape();
        node->geo = g;
        autograd::set_history(node, {&x}, out);
    }
    return out;
}

Tensor avg_pool2d(const Tensor& x, Pair kernel_size, Pair stride, Pair padding, bool ceil_mode,
                  bool count_include_pad, std::int64_t divisor_override) {
    if (stride[0] == 0 || stride[1] == 0) throw std::invalid_argument("stride should not be zero");
    const PoolGeometry g = check_pool(x, kernel_size, stride, padding, {1, 1}, ceil_mode);
    const Tensor xc = x.detach().contiguous();
    Tensor out = Tensor::empty(pooled_shape(x, g), x.dtype());
    dispatch_floating(x.dtype(), "avg_pool2d", [&](auto tag) {
        using T = decltype(tag);
        const T* src = xc.data_ptr<T>();
        T* dst = out.data_ptr<T>();
        std::fill_n(dst, out.numel(), T(0)); // windows that see no input stay 0
        for_each_avg_window(g, count_include_pad, divisor_override,
                            [&](std::int64_t plane, std::int64_t o, const AvgWindow& win) {
                                T sum = T(0);
                                for (std::int64_t ih = win.h0; ih < win.h1; ++ih)
                                    for (std::int64_t iw = win.w0; iw < win.w1; ++iw)
                                        sum += src[plane + ih * g.in_w + iw];
                                dst[o] = sum / static_cast<T>(win.divisor);
                            });
    });
    if (autograd::any_requires_grad({&x})) {
        auto node = std::make_shared<AvgPool2dBackward>();
        node->input_shape = x.shape();
        node->geo = g;
        node->count_include_pad = count_include_pad;
        node->divisor_override = divisor_override;
        autograd::set_history(node, {&x}, out);
    }
    return out;
}

} // namespace nnscope
