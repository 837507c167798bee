// Convolution, pooling, normalisation, dropout and the dense products (Gemm, MatMul).
#include "engine/ops/conv.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/index.h"
#include "engine/ops/linalg.h"
#include "engine/ops/norm.h"
#include "engine/ops/reduce.h"
#include "engine/ops/shape.h"
#include "io/onnx/onnx_ops.h"

#include <cmath>

namespace nnscope::io::onnx_ops {

namespace {

// Spatial attributes shared by Conv, ConvTranspose and the pools, for 1-D and 2-D inputs.
struct Window {
    std::string auto_pad;
    std::vector<std::int64_t> kernel, strides, dilations, pads;

    static Window read(const NodeInfo& node) {
        Window w;
        w.auto_pad = node.attrs.s("auto_pad", "NOTSET");
        if (w.auto_pad != "NOTSET" && w.auto_pad != "VALID" && w.auto_pad != "SAME_UPPER" &&
            w.auto_pad != "SAME_LOWER")
            throw Unsupported("auto_pad=" + w.auto_pad + " not supported");
        w.kernel = node.attrs.ints("kernel_shape");
        w.strides = node.attrs.ints("strides");
        w.dilations = node.attrs.ints("dilations");
        w.pads = node.attrs.ints("pads");
        if (!w.kernel.empty() && w.kernel.size() > 2)
            throw Unsupported(std::to_string(w.kernel.size()) + "-D windows not supported");
        return w;
    }

    // Fills defaults for `n` spatial dims of input `in` with kernel `k`; pads in ONNX layout.
    void resolve(std::size_t n, const Shape& in, const std::vector<std::int64_t>& k) {
        kernel = k;
        if (strides.empty()) strides.assign(n, 1);
        if (dilations.empty()) dilations.assign(n, 1);
        if (pads.empty()) pads.assign(2 * n, 0);
        if (auto_pad == "VALID") pads.assign(2 * n, 0);
        if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
            for (std::size_t d = 0; d < n; ++d) {
                const std::int64_t size = in[in.size() - n + d];
                const std::int64_t out = (size + strides[d] - 1) / strides[d];
                const std::int64_t total = std::max<std::int64_t>(
                    0, (out - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 - size);
                const std::int64_t small = total / 2, big = total - small;
                pads[d] = auto_pad == "SAME_UPPER" ? small : big;
                pads[d + n] = auto_pad == "SAME_UPPER" ? big : small;
            }
        }
        if (strides.size() != n || dilations.size() != n || pads.size() != 2 * n)
            throw std::runtime_error("strides, dilations or pads do not match the input's rank");
    }
    bool symmetric() const {
        const std::size_t n = pads.size() / 2;
        for (std::size_t d = 0; d < n; ++d)
            if (pads[d] != pads[d + n]) return false;
        return true;
    }
};

// 1-D inputs run as 2-D with a height of one.
Pair pair_of(const std::vector<std::int64_t>& v, std::int64_t fill) {
    return v.size() == 1 ? Pair{fill, v[0]} : Pair{v[0], v[1]};
}

Tensor to_2d(const Tensor& x, std::size_t n) {
    if (n == 2) return x;
    if (n == 1) return x.unsqueeze(2);
    throw std::runtime_error(std::to_string(n) + "-D inputs not supported (1-D and 2-D are)");
}

Tensor from_2d(const Tensor& y, std::size_t n) {
    return n == 1 ? y.squeeze(2) : y;
}

std::vector<std::int64_t> spatial(const Shape& s) {
    return {s.begin() + 2, s.end()};
}

Kernel conv(const NodeInfo& node) {
    node.attrs.allow_only({"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
    const Window window = Window::read(node);
    node.require_rank(0, 3, 4);
    node.require_rank(1, 3, 4);
    const std::int64_t groups = node.attrs.i("group", 1);
    return [window, groups](const Values& in) {
        const Tensor& x = need(in, 0, "Conv");
        const Tensor& w = need(in, 1, "Conv");
        const std::size_t n = static_cast<std::size_t>(x.dim()) - 2;
        Window win = window;
        win.resolve(n, x.shape(), spatial(w.shape()));
        Tensor xin = to_2d(x, n);
        Pair padding{0, 0};
        if (win.symmetric()) {
            padding = pair_of({win.pads.begin(), win.pads.begin() + n}, 0);
        } else {
            xin = to_2d(pad_constant(x, win.pads, 0.0), n);
        }
        const Tensor bias = in.size() > 2 ? in[2] : Tensor();
        return Values{from_2d(conv2d(xin, to_2d(w, n), bias, pair_of(win.strides, 1), padding,
                                     pair_of(win.dilations, 1), groups),
                              n)};
    };
}

// Zeros between the elements of dim d (stride - 1 of them), as a transposed conv sees its input.
Tensor spread(const Tensor& x, std::int64_t d, std::int64_t stride) {
    if (stride == 1) return x;
    Shape s = x.shape();
    const std::int64_t size = s[d];
    Tensor u = x.unsqueeze(d + 1);
    Shape zs = u.shape();
    zs[d + 1] = stride - 1;
    Tensor joined = cat({u, Tensor::zeros(zs, x.dtype())}, d + 1);
    s[d] = size * stride;
    return joined.reshape(s).narrow(d, 0, (size - 1) * stride + 1);
}

Kernel conv_transpose(const NodeInfo& node) {
    node.attrs.allow_only({"auto_pad", "dilations", "group", "kernel_shape", "output_padding",
                           "output_shape", "pads", "strides"});
    const Window window = Window::read(node);
    node.require_rank(0, 3, 4);
    node.require_rank(1, 3, 4);
    if (window.auto_pad != "NOTSET" && window.auto_pad != "VALID")
        throw Unsupported("auto_pad=" + window.auto_pad + " not supported");
    if (node.attrs.has("output_shape")) throw Unsupported("attribute output_shape not supported");
    const std::int64_t groups = node.attrs.i("group", 1);
    const std::vector<std::int64_t> output_padding = node.attrs.ints("output_padding");
    return [window, groups, output_padding](const Values& in) {
        const Tensor& x = need(in, 0, "ConvTranspose");
        const Tensor& w = need(in, 1, "ConvTranspose"); // [Cin, Cout/g, k...]
        const std::size_t n = static_cast<std::size_t>(x.dim()) - 2;
        Window win = window;
        win.resolve(n, x.shape(), spatial(w.shape()));
        std::vector<std::int64_t> extra = output_padding;
        if (extra.empty()) extra.assign(n, 0);
        // conv2d over the spread input with the flipped, transposed weight, padded
        // dilation * (k - 1) - pad on each side (output_padding more at the end).
        Tensor xs = x;
        std::vector<std::int64_t> pads(2 * n);
        for (std::size_t d = 0; d < n; ++d) {
            xs = spread(xs, static_cast<std::int64_t>(d) + 2, win.strides[d]);
            const std::int64_t edge = win.dilations[d] * (win.kernel[d] - 1);
            pads[d] = edge - win.pads[d];
            pads[d + n] = edge - win.pads[d + n] + extra[d];
        }
        xs = pad_constant(xs, pads, 0.0);
        const Shape& ws = w.shape();
        const std::int64_t cin = ws[0], cout_g = ws[1];
        Shape grouped{groups, cin / groups, cout_g};
        grouped.insert(grouped.end(), ws.begin() + 2, ws.end());
        Tensor wt = w.reshape(grouped).transpose(1, 2);
        Shape flat{groups * cout_g, cin / groups};
        flat.insert(flat.end(), ws.begin() + 2, ws.end());
        wt = wt.reshape(flat);
        for (std::size_t d = 0; d < n; ++d) {
            const std::int64_t k = win.kernel[d], dim = static_cast<std::int64_t>(d) + 2;
            std::vector<std::int64_t> rev(k);
            for (std::int64_t i = 0; i < k; ++i)
                rev[i] = k - 1 - i;
            wt = index_select(wt, dim, Tensor::from_int64(rev, {k}));
        }
        const Tensor bias = in.size() > 2 ? in[2] : Tensor();
        return Values{from_2d(conv2d(to_2d(xs, n), to_2d(wt, n), bias, {1, 1}, {0, 0},
                                     pair_of(win.dilations, 1), groups),
                              n)};
    };
}

Kernel max_pool(const NodeInfo& node) {
    node.attrs.allow_only(
        {"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"});
    node.refuse_outputs_beyond(1);
    const Window window = Window::read(node);
    if (window.kernel.empty()) throw Unsupported("kernel_shape missing");
    node.require_rank(0, 3, 4);
    node.require_floating(0);
    const bool ceil = node.attrs.i("ceil_mode", 0) != 0;
    return [window, ceil](const Values& in) {
        const Tensor& x = need(in, 0, "MaxPool");
        const std::size_t n = window.kernel.size();
        Window win = window;
        win.resolve(n, x.shape(), window.kernel);
        bool engine_pads = win.symmetric();
        for (std::size_t d = 0; engine_pads && d < n; ++d)
            engine_pads = 2 * win.pads[d] <= win.kernel[d];
        Tensor xin = x;
        Pair padding{0, 0};
        if (engine_pads)
            padding = pair_of({win.pads.begin(), win.pads.begin() + n}, 0);
        else
            xin = pad_constant(x, win.pads, -INFINITY);
        return Values{
            from_2d(max_pool2d(to_2d(xin, n), pair_of(win.kernel, 1), pair_of(win.strides, 1),
                               padding, pair_of(win.dilations, 1), ceil),
                    n)};
    };
}

Kernel average_pool(const NodeInfo& node) {
    node.attrs.allow_only(
        {"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"});
    const Window window = Window::read(node);
    if (window.kernel.empty()) throw Unsupported("kernel_shape missing");
    node.require_rank(0, 3, 4);
    node.require_floating(0);
    const bool ceil = node.attrs.i("ceil_mode", 0) != 0;
    const bool include_pad = node.attrs.i("count_include_pad", 0) != 0;
    return [window, ceil, include_pad](const Values& in) {
        const Tensor& x = need(in, 0, "AveragePool");
        const std::size_t n = window.kernel.size();
        Window win = window;
        win.resolve(n, x.shape(), window.kernel);
        const Pair k = pair_of(win.kernel, 1), s = pair_of(win.strides, 1);
        const Tensor xp = to_2d(pad_constant(x, win.pads, 0.0), n);
        if (include_pad) {
            const std::int64_t area = k[0] * k[1];
            return Values{from_2d(avg_pool2d(xp, k, s, {0, 0}, ceil, true, area), n)};
        }
        // Sum over the window's elements inside the input, divided by their count.
        Shape ones_shape = x.shape();
        ones_shape[0] = 1;
        ones_shape[1] = 1;
        const Tensor ones =
            to_2d(pad_constant(Tensor::ones(ones_shape, x.dtype()), win.pads, 0.0), n);
        const Tensor total = avg_pool2d(xp, k, s, {0, 0}, ceil, true, 1);
        const Tensor count = avg_pool2d(ones, k, s, {0, 0}, ceil, true, 1);
        return Values{from_2d(div(total, count), n)};
    };
}

template <bool Max> Kernel global_pool(const NodeInfo& node) {
    node.attrs.allow_only({});
    return [](const Values& in) {
        const Tensor& x = need(in, 0, "GlobalPool");
        Shape dims;
        for (std::int64_t d = 2; d < x.dim(); ++d)
            dims.push_back(d);
        return Values{Max ? max_over(x, dims, true) : mean(x, dims, true)};
    };
}

Kernel batch_normalization(const NodeInfo& node) {
    node.attrs.allow_only({"epsilon", "momentum", "training_mode", "spatial"});
    if (node.attrs.i("training_mode", 0) != 0) throw Unsupported("training_mode=1 not supported");
    if (node.attrs.i("spatial", 1) != 1) throw Unsupported("spatial=0 not supported");
    node.refuse_outputs_beyond(1);
    const double eps = node.attrs.f("epsilon", 1e-5);
    return [eps](const Values& in) {
        return Values{batch_norm(need(in, 0, "BatchNormalization"), need(in, 3, "mean"),
                                 need(in, 4, "var"), need(in, 1, "scale"), need(in, 2, "B"), false,
                                 0.0, eps)};
    };
}

Kernel layer_normalization(const NodeInfo& node) {
    node.attrs.allow_only({"axis", "epsilon", "stash_type"});
    if (node.attrs.i("stash_type", 1) != 1) throw Unsupported("stash_type other than 1");
    node.refuse_outputs_beyond(1);
    const std::int64_t axis = node.attrs.i("axis", -1);
    const double eps = node.attrs.f("epsilon", 1e-5);
    return [axis, eps](const Values& in) {
        const Tensor& x = need(in, 0, "LayerNormalization");
        const std::int64_t a = axis_of(axis, x.dim(), "LayerNormalization");
        const Shape normalized(x.shape().begin() + a, x.shape().end());
        Tensor y = layer_norm(x, normalized, Tensor(), Tensor(), eps);
        y = mul(y, need(in, 1, "Scale"));
        if (in.size() > 2 && in[2].defined()) y = add(y, in[2]);
        return Values{y};
    };
}

Kernel instance_normalization(const NodeInfo& node) {
    node.attrs.allow_only({"epsilon"});
    const double eps = node.attrs.f("epsilon", 1e-5);
    return [eps](const Values& in) {
        const Tensor& x = need(in, 0, "InstanceNormalization");
        Shape dims, per_channel(x.dim(), 1);
        for (std::int64_t d = 2; d < x.dim(); ++d)
            dims.push_back(d);
        per_channel[1] = x.size(1);
        const Tensor centred = sub(x, mean(x, dims, true));
        const Tensor var = mean(mul(centred, centred), dims, true);
        const Tensor y = div(centred, sqrt(add(var, eps)));
        return Values{add(mul(y, need(in, 1, "scale").reshape(per_channel)),
                          need(in, 2, "B").reshape(per_channel))};
    };
}

Kernel dropout(const NodeInfo& node) {
    node.attrs.allow_only({"ratio", "seed", "is_test"});
    node.refuse_input(2, "training_mode");
    return [](const Values& in) {
        const Tensor& x = need(in, 0, "Dropout");
        if (in.size() > 2 && in[2].defined() && in[2].item() != 0.0)
            throw std::runtime_error("training_mode=true: only inference dropout runs");
        return Values{x, Tensor::ones(x.shape(), DType::Bool)};
    };
}

Kernel gemm(const NodeInfo& node) {
    node.attrs.allow_only({"alpha", "beta", "transA", "transB", "broadcast"});
    const double alpha = node.attrs.f("alpha", 1.0), beta = node.attrs.f("beta", 1.0);
    const bool ta = node.attrs.i("transA", 0) != 0, tb = node.attrs.i("transB", 0) != 0;
    return [=](const Values& in) {
        Tensor a = need(in, 0, "Gemm"), b = need(in, 1, "Gemm");
        if (ta) a = a.t();
        if (tb) b = b.t();
        Tensor y = mm(a, b);
        if (alpha != 1.0) y = mul(y, alpha);
        if (in.size() > 2 && in[2].defined()) y = add(y, beta == 1.0 ? in[2] : mul(in[2], beta));
        return Values{y};
    };
}

} // namespace

void register_nn_ops(Registry& r) {
    r["Conv"] = conv;
    r["ConvTranspose"] = conv_transpose;
    r["MaxPool"] = max_pool;
    r["AveragePool"] = average_pool;
    r["GlobalAveragePool"] = global_pool<false>;
    r["GlobalMaxPool"] = global_pool<true>;
    r["BatchNormalization"] = batch_normalization;
    r["LayerNormalization"] = layer_normalization;
    r["InstanceNormalization"] = instance_normalization;
    r["Dropout"] = dropout;
    r["Gemm"] = gemm;
    r["MatMul"] = [](const NodeInfo& node) -> Kernel {
        node.attrs.allow_only({});
        return [](const Values& in) {
            return Values{matmul(need(in, 0, "MatMul"), need(in, 1, "MatMul"))};
        };
    };
}

} // namespace nnscope::io::onnx_ops
