// 2-D convolution as im2col + GEMM (the forward pass and the autograd node here, the backward
// pass in conv_backward.cpp). Items are processed in chunks whose column matrix stays in the L2
// cache, so the columns are written and read back while hot; backward rebuilds them per chunk
// rather than keeping megabytes alive between forward and backward. Chunks are spread over the
// engine's threads, each with its own column matrix (conv_impl.h).

#include "engine/ops/conv.h"

#include "engine/autograd/node.h"
#include "engine/ops/conv_impl.h"
#include "engine/ops/kernels/checks.h"
#include "engine/ops/kernels/direct_conv.h"
#include "engine/ops/kernels/gemm.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace nnscope {

using autograd::Node;
using autograd::SavedTensor;
using autograd::TensorList;
using kernels::ConvGeometry;

namespace {

using conv_impl::ConvShape;
using conv_impl::for_pieces;
using conv_impl::scratch;

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
        // Every (item, group) pair on its own: batch 1 of a depthwise layer still splits.
        for_pieces(s, s.batch * s.groups, false, [&](std::int64_t first, std::int64_t last) {
            kernels::direct_conv_forward(x, w, bias, out, first, last, s.groups, cout, s.geo);
        });
        return;
    }
    if (s.pointwise()) {
        for_pieces(s, s.batch, true, [&](std::int64_t n0, std::int64_t n1) {
            for (std::int64_t n = n0; n < n1; ++n)
                for (std::int64_t grp = 0; grp < s.groups; ++grp) {
                    T* dst = out + n * s.item_out() + grp * cout * P;
                    if (bias) fill_bias(dst, grp * cout);
                    kernels::gemm<T>(
                        kernels::row_major(w + grp * cout * K, cout, K, K),
                        kernels::row_major(x + n * s.item_in() + grp * cin * plane, cin, P, P), dst,
                        P, T(1), beta);
                }
        });
        return;
    }
    // Chunks are independent: each thread takes a range of them with its own column matrix.
    const std::int64_t nb = s.chunk();
    for_pieces(s, s.chunks(), true, [&](std::int64_t first, std::int64_t last) {
        Tensor col_holder, tmp_holder;
        T* col = scratch<T>(col_holder, K * nb * P);
        T* tmp = nb > 1 ? scratch<T>(tmp_holder, cout * nb * P) : nullptr;
        for (std::int64_t chunk = first; chunk < last; ++chunk) {
            const std::int64_t n0 = chunk * nb;
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
    });
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
            conv_impl::conv_backward<T>(xs.data_ptr<T>(), ws.data_ptr<T>(), g.data_ptr<T>(),
                                        ptr(out[0]), ptr(out[1]), ptr(out[2]), conv);
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
