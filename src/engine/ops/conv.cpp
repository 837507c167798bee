// 2-D convolution as im2col + GEMM. Items are processed in chunks whose column matrix stays
// in the L2 cache, so the columns are written and read back while hot; backward rebuilds them
// per chunk rather than keeping megabytes alive between forward and backward.

#include "engine/ops/conv.h"

#include "engine/autograd/node.h"
#include "engine/ops/kernels/checks.h"
#include "engine/ops/kernels/direct_conv.h"
#include "engine/ops/kernels/gemm.h"
#include "engine/ops/kernels/gemm_avx512.h"
#include "engine/ops/kernels/im2col.h"
#include "engine/ops/kernels/transpose.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace nnscope {

using autograd::Node;
using autograd::SavedTensor;
using autograd::TensorList;
using kernels::ConvGeometry;
using kernels::MatRef;

namespace {

// Elements of column matrix per chunk (128 KB of float32): one item of a 16-channel 3x3 layer
// at 14x14, so the GEMM writes straight into the output; measured best among 4K..4M.
constexpr std::int64_t column_budget = 32 * 1024;

struct ConvShape {
    std::int64_t batch, in_channels, out_channels, groups;
    ConvGeometry geo;

    std::int64_t group_in() const { return in_channels / groups; }
    std::int64_t group_out() const { return out_channels / groups; }
    std::int64_t kdim() const { return group_in() * geo.kernel_h * geo.kernel_w; }
    std::int64_t item_in() const { return in_channels * geo.in_h * geo.in_w; }
    std::int64_t item_out() const { return out_channels * geo.positions(); }
    // A 1x1 kernel without stride or padding reads the input itself as its column matrix.
    bool pointwise() const {
        return geo.kernel_h == 1 && geo.kernel_w == 1 && geo.stride_h == 1 && geo.stride_w == 1 &&
               geo.pad_h == 0 && geo.pad_w == 0;
    }
    // One input channel per group: direct convolution (kernels/direct_conv.h).
    bool direct() const { return group_in() == 1 && !pointwise(); }
    std::int64_t chunk() const {
        const std::int64_t per_item = std::max<std::int64_t>(kdim() * geo.positions(), 1);
        return std::clamp<std::int64_t>(column_budget / per_item, 1,
                                        std::max<std::int64_t>(batch, 1));
    }
};

template <class T> T* scratch(Tensor& holder, std::int64_t count) {
    holder = Tensor::empty({std::max<std::int64_t>(count, 1)}, DTypeOf<T>::value);
    return holder.data_ptr<T>();
}

template <class T>
void conv_forward(const T* x, const T* w, const T* bias, T* out, const ConvShape& s) {
    const std::int64_t P = s.geo.positions(), K = s.kdim(), cin = s.group_in(),
                       cout = s.group_out(), plane = s.geo.in_h * s.geo.in_w;
    auto fill_bias = [&](T* dst, std::int64_t channel0) {
        for (std::int64_t c = 0; c < cout; ++c)
            std::fill(dst + c * P, dst + (c + 1) * P, bias[channel0 + c]);
    };
    const T beta = bias ? T(1) : T(0);
    if (s.direct()) {
        kernels::direct_conv_forward(x, w, bias, out, s.batch, s.groups, cout, s.geo);
        return;
    }
    if (s.pointwise()) {
        for (std::int64_t n = 0; n < s.batch; ++n)
            for (std::int64_t grp = 0; grp < s.groups; ++grp) {
                T* dst = out + n * s.item_out() + grp * cout * P;
                if (bias) fill_bias(dst, grp * cout);
                kernels::gemm<T>(
                    kernels::row_major(w + grp * cout * K, cout, K, K),
                    kernels::row_major(x + n * s.item_in() + grp * cin * plane, cin, P, P), dst, P,
                    T(1), beta);
            }
        return;
    }
    const std::int64_t nb = s.chunk();
    Tensor col_holder, tmp_holder;
    T* col = scratch<T>(col_holder, K * nb * P);
    T* tmp = nb > 1 ? scratch<T>(tmp_holder, cout * nb * P) : nullptr;
    for (std::int64_t n0 = 0; n0 < s.batch; n0 += nb) {
        const std::int64_t items = std::min(nb, s.batch - n0), ld = items * P;
        for (std::int64_t grp = 0; grp < s.groups; ++grp) {
            kernels::im2col(x + n0 * s.item_in() + grp * cin * plane, s.item_in(), items, cin,
                            s.geo, col, ld);
            const auto wg = kernels::row_major(w + grp * cout * K, cout, K, K);
            if (items == 1) {
                T* dst = out + n0 * s.item_out() + grp * cout * P;
                if (bias) fill_bias(dst, grp * cout);
                kernels::gemm<T>(wg, kernels::row_major<T>(col, K, P, P), dst, P, T(1), beta);
                continue;
            }
            // One GEMM for the chunk, then rows of P values back into NCHW order.
            kernels::gemm<T>(wg, kernels::row_major<T>(col, K, ld, ld), tmp, ld);
            for (std::int64_t q = 0; q < items; ++q)
                for (std::int64_t c = 0; c < cout; ++c) {
                    const T* src = tmp + c * ld + q * P;
                    T* dst = out + (n0 + q) * s.item_out() + (grp * cout + c) * P;
                    if (bias) {
                        const T b = bias[grp * cout + c];
                        for (std::int64_t p = 0; p < P; ++p)
                            dst[p] = src[p] + b;
                    } else {
                        std::memcpy(dst, src, sizeof(T) * P);
                    }
                }
        }
    }
}

// gx, gw, gb may be null when not wanted; gw and gb arrive zeroed, gx zeroed only for the direct
// path (the others write it chunk by chunk, zeroing a chunk just before adding into it).
template <class T>
void conv_backward(const T* x, const T* w, const T* g, T* gx, T* gw, T* gb, const ConvShape& s) {
    const std::int64_t P = s.geo.positions(), K = s.kdim(), cin = s.group_in(),
                       cout = s.group_out(), plane = s.geo.in_h * s.geo.in_w;
    if (gb)
        for (std::int64_t n = 0; n < s.batch; ++n)
            for (std::int64_t c = 0; c < s.out_channels; ++c)
                gb[c] += kernels::sum_of(g + n * s.item_out() + c * P, P);
    if (!gx && !gw) return;
    if (s.direct()) {
        kernels::direct_conv_backward(x, w, g, gx, gw, s.batch, s.groups, cout, s.geo);
        return;
    }
    if (s.pointwise()) {
        for (std::int64_t n = 0; n < s.batch; ++n)
            for (std::int64_t grp = 0; grp < s.groups; ++grp) {
                const auto gg =
                    kernels::row_major(g + n * s.item_out() + grp * cout * P, cout, P, P);
                const auto xg =
                    kernels::row_major(x + n * s.item_in() + grp * cin * plane, cin, P, P);
                const auto wg = kernels::row_major(w + grp * cout * K, cout, K, K);
                if (gw) kernels::gemm<T>(gg, xg.transposed(), gw + grp * cout * K, K, T(1), T(1));
                if (gx)
                    kernels::gemm<T>(wg.transposed(), gg, gx + n * s.item_in() + grp * cin * plane,
                                     P);
            }
        return;
    }
    const std::int64_t nb = s.chunk();
    Tensor col_holder, gbuf_holder, ggt_holder, gwt_holder;
    T* col = scratch<T>(col_holder, K * nb * P);
    T* gbuf = nb > 1 ? scratch<T>(gbuf_holder, s.out_channels * nb * P) : nullptr;
    // With the AVX-512 kernels the weight gradient is summed transposed, gwᵀ[K, cout] += col ·
    // ggᵀ: both operands row-major, so the GEMM runs the broadcast kernel instead of dot
    // products over positions that end in a horizontal sum each (in the cnn's profile, the
    // weight gradient's GEMM went from the costliest of the three to the same cost per flop).
    const bool transposed_gw = gw && kernels::fast_gemm_available();
    T* ggt = transposed_gw ? scratch<T>(ggt_holder, nb * P * cout) : nullptr;
    T* gwt = transposed_gw ? scratch<T>(gwt_holder, s.groups * K * cout) : nullptr;
    if (transposed_gw) std::fill(gwt, gwt + s.groups * K * cout, T(0));
    for (std::int64_t n0 = 0; n0 < s.batch; n0 += nb) {
        const std::int64_t items = std::min(nb, s.batch - n0), ld = items * P;
        // The chunk's output gradient as [out_channels, items·P], matching the columns.
        const T* gt = g + n0 * s.item_out();
        if (items > 1) {
            for (std::int64_t q = 0; q < items; ++q)
                for (std::int64_t c = 0; c < s.out_channels; ++c)
                    std::memcpy(gbuf + c * ld + q * P, g + (n0 + q) * s.item_out() + c * P,
                                sizeof(T) * P);
            gt = gbuf;
        }
        if (gx) std::fill(gx + n0 * s.item_in(), gx + (n0 + items) * s.item_in(), T(0));
        for (std::int64_t grp = 0; grp < s.groups; ++grp) {
            const auto gg = kernels::row_major(gt + grp * cout * ld, cout, ld, ld);
            const T* xg = x + n0 * s.item_in() + grp * cin * plane;
            if (gw) {
                kernels::im2col(xg, s.item_in(), items, cin, s.geo, col, ld);
                const auto cols = kernels::row_major<T>(col, K, ld, ld);
                if (transposed_gw) {
                    kernels::transpose(gg.data, ld, cout, ld, ggt, cout);
                    kernels::gemm<T>(cols, kernels::row_major<T>(ggt, ld, cout, cout),
                                     gwt + grp * K * cout, cout, T(1), T(1));
                } else {
                    kernels::gemm<T>(gg, cols.transposed(), gw + grp * cout * K, K, T(1), T(1));
                }
            }
            if (gx) {
                const auto wg = kernels::row_major(w + grp * cout * K, cout, K, K);
                kernels::gemm<T>(wg.transposed(), gg, col, ld);
                kernels::col2im(col, ld, items, cin, s.geo,
                                gx + n0 * s.item_in() + grp * cin * plane, s.item_in());
            }
        }
    }
    if (transposed_gw)
        for (std::int64_t grp = 0; grp < s.groups; ++grp)
            for (std::int64_t c = 0; c < cout; ++c)
                for (std::int64_t r = 0; r < K; ++r)
                    gw[(grp * cout + c) * K + r] += gwt[(grp * K + r) * cout + c];
}

class ConvolutionBackward final : public Node {
public:
    SavedTensor x, weight; // contiguous, 4-D
    Shape input_shape;
    ConvShape conv{};
    TensorList apply(TensorList&& grads) override {
        TensorList out(3);
        if (!grads[0].defined()) return out;
        const Tensor g = grads[0].contiguous();
        const Tensor& xs = x.get();
        const Tensor& ws = weight.get();
        const DType dtype = xs.dtype();
        if (needs_input_grad(0))
            out[0] =
                conv.direct() ? Tensor::zeros(xs.shape(), dtype) : Tensor::empty(xs.shape(), dtype);
        if (needs_input_grad(1)) out[1] = Tensor::zeros(ws.shape(), dtype);
        if (needs_input_grad(2)) out[2] = Tensor::zeros({conv.out_channels}, dtype);
        dispatch_floating(dtype, "conv2d", [&](auto tag) {
            using T = decltype(tag);
            auto ptr = [](const Tensor& t) { return t.defined() ? t.data_ptr<T>() : nullptr; };
            conv_backward<T>(xs.data_ptr<T>(), ws.data_ptr<T>(), g.data_ptr<T>(), ptr(out[0]),
                             ptr(out[1]), ptr(out[2]), conv);
        });
        if (out[0].defined() && out[0].shape() != input_shape) out[0] = out[0].view(input_shape);
        return out;
    }
    std::string name() const override { return "ConvolutionBackward0"; }
    void release_variables() override {
        x.release();
        weight.release();
    }
};

std::string type_name(DType dtype) {
    return std::string("torch.") + kernels::scalar_type_name(dtype) + "Tensor";
}

// "float", "double": the element type names of PyTorch's bias type error.
std::string element_name(DType dtype) {
    std::string name = kernels::scalar_type_name(dtype);
    name[0] = static_cast<char>(name[0] - 'A' + 'a');
    return name;
}

} // namespace

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, Pair stride, Pair padding,
              Pair dilation, std::int64_t groups) {
    if (groups <= 0) throw std::invalid_argument("non-positive groups is not supported");
    for (int i = 0; i < 2; ++i) {
        if (stride[i] <= 0) throw std::invalid_argument("non-positive stride is not supported");
        if (padding[i] < 0) throw std::invalid_argument("negative padding is not supported");
        if (dilation[i] <= 0) throw std::invalid_argument("non-positive dilation is not supported");
    }
    if (x.dim() != 3 && x.dim() != 4)
        throw std::invalid_argument(
            "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: " +
            shape_to_string(x.shape()));
    if (weight.dim() != 4)
        throw std::invalid_argument("conv2d: expected a 4-D weight [out_channels, "
                                    "in_channels / groups, kH, kW], but got weight of size " +
                                    shape_to_string(weight.shape()));
    if (x.dtype() != weight.dtype())
        throw std::invalid_argument("Input type (" + type_name(x.dtype()) + ") and weight type (" +
                                    type_name(weight.dtype()) + ") should be the same");
    const bool batched = x.dim() == 4;
    const Shape in4 = batched ? x.shape() : Shape{1, x.size(0), x.size(1), x.size(2)};
    const std::int64_t out_channels = weight.size(0);
    if (out_channels % groups != 0)
        throw std::invalid_argument("Given groups=" + std::to_string(groups) +
                                    ", expected weight to be divisible by " +
                                    std::to_string(groups) +
                                    " at dimension 0, but got weight "
                                    "of size [" +
                                    shape_to_string(weight.shape()) + "] instead");
    if (in4[1] != weight.size(1) * groups)
        throw std::invalid_argument(
            "Given groups=" + std::to_string(groups) + ", weight of size " +
            shape_to_string(weight.shape()) + ", expected input" + shape_to_string(x.shape()) +
            " to have " + std::to_string(weight.size(1) * groups) + " channels, but got " +
            std::to_string(in4[1]) + " channels instead");
    ConvGeometry geo{in4[2],    in4[3],    0,          0,          weight.size(2), weight.size(3),
                     stride[0], stride[1], padding[0], padding[1], dilation[0],    dilation[1]};
    const std::int64_t span_h = dilation[0] * (geo.kernel_h - 1) + 1;
    const std::int64_t span_w = dilation[1] * (geo.kernel_w - 1) + 1;
    const std::int64_t padded_h = geo.in_h + 2 * padding[0], padded_w = geo.in_w + 2 * padding[1];
    if (padded_h < span_h || padded_w < span_w)
        throw std::invalid_argument(
            "Calculated padded input size per channel: (" + std::to_string(padded_h) + " x " +
            std::to_string(padded_w) + "). Kernel size: (" + std::to_string(span_h) + " x " +
            std::to_string(span_w) + "). Kernel size can't be greater than actual input size");
    if (bias.defined()) {
        if (bias.dim() != 1 || bias.size(0) != out_channels)
            throw std::invalid_argument(
                "Given weight of size " + shape_to_string(weight.shape()) +
                ", expected bias to be 1-dimensional with " + std::to_string(out_channels) +
                " elements, but got bias of size " + shape_to_string(bias.shape()) + " instead");
        if (bias.dtype() != x.dtype())
            throw std::invalid_argument("Input type (" + element_name(x.dtype()) +
                                        ") and bias type (" + element_name(bias.dtype()) +
                                        ") should be the same");
    }
    geo.out_h = (padded_h - span_h) / stride[0] + 1;
    geo.out_w = (padded_w - span_w) / stride[1] + 1;
    const ConvShape conv{in4[0], in4[1], out_channels, groups, geo};

    const Tensor xc = x.detach().contiguous();
    const Tensor wc = weight.detach().contiguous();
    const Tensor bc = bias.defined() ? bias.detach().contiguous() : Tensor();
    Shape out_shape{out_channels, geo.out_h, geo.out_w};
    if (batched) out_shape.insert(out_shape.begin(), in4[0]);
    Tensor out = Tensor::empty(out_shape, x.dtype());
    dispatch_floating(x.dtype(), "conv2d", [&](auto tag) {
        using T = decltype(tag);
        conv_forward<T>(xc.data_ptr<T>(), wc.data_ptr<T>(),
                        bc.defined() ? bc.data_ptr<T>() : nullptr, out.data_ptr<T>(), conv);
    });
    if (autograd::any_requires_grad({&x, &weight, &bias})) {
        auto node = std::make_shared<ConvolutionBackward>();
        node->x = SavedTensor(xc.view(in4));
        node->weight = SavedTensor(wc);
        node->input_shape = x.shape();
        node->conv = conv;
        autograd::set_history(node, {&x, &weight, &bias}, out);
    }
    return out;
}

} // namespace nnscope
