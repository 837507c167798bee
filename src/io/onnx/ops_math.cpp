// Pointwise arithmetic, activations, comparisons, logic, casts and reductions.
#include "engine/ops/activation.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/mobile_activation.h"
#include "engine/ops/parametric_activation.h"
#include "engine/ops/reduce.h"
#include "io/onnx/onnx_ops.h"
#include "io/onnx/onnx_tensor.h"

#include <algorithm>
#include <cmath>

namespace nnscope::io::onnx_ops {

namespace {

bool is_integral(const Tensor& t) {
    return !t.is_floating_point() && t.dtype() != DType::Bool;
}

// ONNX's integer Div truncates (C semantics); the engine's div is true division.
Tensor integer_div(const Tensor& a, const Tensor& b) {
    const Shape shape = broadcast_shapes(a.shape(), b.shape());
    const auto x = a.expand(shape).contiguous().to_int64_vector();
    const auto y = b.expand(shape).contiguous().to_int64_vector();
    std::vector<std::int64_t> q(x.size());
    for (std::size_t i = 0; i < q.size(); ++i) {
        if (y[i] == 0) throw std::runtime_error("integer division by zero");
        q[i] = x[i] / y[i];
    }
    return Tensor::from_int64(q, shape).to(a.dtype());
}

template <Tensor (*F)(const Tensor&, const Tensor&)> Kernel binary(const NodeInfo& node) {
    node.attrs.allow_only({});
    return [](const Values& in) {
        return Values{F(need(in, 0, "binary op"), need(in, 1, "binary op"))};
    };
}

template <Tensor (*F)(const Tensor&)> Kernel unary(const NodeInfo& node) {
    node.attrs.allow_only({});
    return [](const Values& in) { return Values{F(need(in, 0, "unary op"))}; };
}

Tensor add2(const Tensor& a, const Tensor& b) {
    return add(a, b);
}
Tensor sub2(const Tensor& a, const Tensor& b) {
    return sub(a, b);
}

Tensor div2(const Tensor& a, const Tensor& b) {
    return is_integral(a) && is_integral(b) ? integer_div(a, b) : div(a, b);
}

Tensor pow2(const Tensor& a, const Tensor& b) {
    // A constant exponent keeps PyTorch's pow(x, scalar) gradient (no log(x) of the base).
    Tensor out;
    if (b.numel() == 1 && !b.requires_grad() && b.dim() <= a.dim() && a.is_floating_point())
        out = pow(a, b.item());
    else
        out = pow(a, b);
    return out.dtype() == a.dtype() ? out : out.to(a.dtype());
}

Tensor reciprocal(const Tensor& x) {
    return div(Tensor::scalar(1.0, x.dtype()), x);
}
Tensor not1(const Tensor& x) {
    return eq(x.to(DType::Int64), Tensor::scalar(0, DType::Int64));
}

Tensor sum_int(const Tensor& a, const Tensor& b) {
    return add(a.to(DType::Int64), b.to(DType::Int64));
}
Tensor and2(const Tensor& a, const Tensor& b) {
    return eq(sum_int(a, b), Tensor::scalar(2, DType::Int64));
}
Tensor or2(const Tensor& a, const Tensor& b) {
    return gt(sum_int(a, b), Tensor::scalar(0, DType::Int64));
}
Tensor xor2(const Tensor& a, const Tensor& b) {
    return eq(sum_int(a, b), Tensor::scalar(1, DType::Int64));
}

Kernel leaky_relu(const NodeInfo& node) {
    node.attrs.allow_only({"alpha"});
    const double alpha = node.attrs.f("alpha", 0.01);
    return
        [alpha](const Values& in) { return Values{leaky_relu(need(in, 0, "LeakyRelu"), alpha)}; };
}

Kernel elu_op(const NodeInfo& node) {
    node.attrs.allow_only({"alpha"});
    const double alpha = node.attrs.f("alpha", 1.0);
    return [alpha](const Values& in) { return Values{elu(need(in, 0, "Elu"), alpha)}; };
}

Tensor hard_sigmoid(const Tensor& x, double alpha, double beta) {
    return clamp(add(mul(x, alpha), beta), 0.0, 1.0);
}

Kernel hard_sigmoid_op(const NodeInfo& node) {
    node.attrs.allow_only({"alpha", "beta"});
    const double alpha = node.attrs.f("alpha", 0.2), beta = node.attrs.f("beta", 0.5);
    return [alpha, beta](const Values& in) {
        return Values{hard_sigmoid(need(in, 0, "HardSigmoid"), alpha, beta)};
    };
}

Kernel hard_swish(const NodeInfo& node) {
    node.attrs.allow_only({});
    return [](const Values& in) {
        // ONNX's HardSwish is torch's (alpha 1/6, beta 0.5): the engine's one fused kernel.
        return Values{hardswish(need(in, 0, "HardSwish"))};
    };
}

Kernel gelu_op(const NodeInfo& node) {
    node.attrs.allow_only({"approximate"});
    const std::string approximate = node.attrs.s("approximate", "none");
    if (approximate != "none" && approximate != "tanh")
        throw Unsupported("approximate=" + approximate + " not supported");
    return
        [approximate](const Values& in) { return Values{gelu(need(in, 0, "Gelu"), approximate)}; };
}

Kernel clip(const NodeInfo& node) {
    if (node.opset < 11) {
        node.attrs.allow_only({"min", "max"});
        const double lo = node.attrs.f("min", -INFINITY), hi = node.attrs.f("max", INFINITY);
        return [lo, hi](const Values& in) { return Values{clamp(need(in, 0, "Clip"), lo, hi)}; };
    }
    node.attrs.allow_only({});
    return [](const Values& in) {
        std::optional<double> lo, hi;
        if (in.size() > 1 && in[1].defined()) lo = in[1].item();
        if (in.size() > 2 && in[2].defined()) hi = in[2].item();
        const Tensor& x = need(in, 0, "Clip");
        if (!lo && !hi) return Values{x};
        return Values{clamp(x, lo, hi)};
    };
}

template <bool Log> Kernel softmax_op(const NodeInfo& node) {
    node.attrs.allow_only({"axis"});
    const bool coerce = node.opset < 13; // older opsets flatten to 2-D around axis
    const std::int64_t axis = node.attrs.i("axis", coerce ? 1 : -1);
    return [axis, coerce](const Values& in) {
        const Tensor& x = need(in, 0, "Softmax");
        const std::int64_t a = axis_of(axis, std::max<std::int64_t>(x.dim(), 1), "Softmax");
        if (!coerce || a == x.dim() - 1) {
            const Tensor y = Log ? log_softmax(x, a) : softmax(x, a);
            return Values{y};
        }
        const Shape& s = x.shape();
        std::int64_t rows = 1;
        for (std::int64_t d = 0; d < a; ++d)
            rows *= s[d];
        const Tensor flat = x.reshape({rows, -1});
        const Tensor y = Log ? log_softmax(flat, 1) : softmax(flat, 1);
        return Values{y.reshape(s)};
    };
}

Kernel cast(const NodeInfo& node) {
    node.attrs.allow_only({"to", "saturate"});
    const int to = static_cast<int>(node.attrs.i("to", 0));
    std::optional<DType> type = dtype_from_onnx(to);
    if (!type) throw Unsupported("cast to " + onnx_type_name(to) + " not supported");
    if (node.float64 && is_floating_point(*type)) type = DType::Float64;
    return [t = *type](const Values& in) {
        const Tensor& x = need(in, 0, "Cast");
        return Values{x.dtype() == t ? x : x.to(t)};
    };
}

// Reductions: axes from the attribute, or (ReduceSum from opset 13) from input 1.
enum class Reduce { Sum, Mean, Max, Min };

template <Reduce R> Kernel reduce_op(const NodeInfo& node) {
    const bool axes_input = R == Reduce::Sum && node.opset >= 13;
    node.attrs.allow_only({"axes", "keepdims", "noop_with_empty_axes"});
    if (axes_input && node.attrs.has("axes")) throw Unsupported("attribute axes at this opset");
    const std::vector<std::int64_t> attr_axes = node.attrs.ints("axes");
    const bool keep = node.attrs.i("keepdims", 1) != 0;
    const bool noop = node.attrs.i("noop_with_empty_axes", 0) != 0;
    return [=](const Values& in) {
        const Tensor& x = need(in, 0, "Reduce");
        std::vector<std::int64_t> axes = attr_axes;
        if (axes_input && in.size() > 1 && in[1].defined()) axes = ints_of(in[1]);
        if (axes.empty() && noop) return Values{x};
        Shape dims;
        if (axes.empty())
            for (std::int64_t d = 0; d < x.dim(); ++d)
                dims.push_back(d);
        for (std::int64_t a : axes)
            dims.push_back(axis_of(a, x.dim(), "Reduce"));
        std::sort(dims.begin(), dims.end());
        if (x.dim() == 0) return Values{x};
        if constexpr (R == Reduce::Sum) return Values{sum(x, dims, keep)};
        if constexpr (R == Reduce::Mean) return Values{mean(x, dims, keep)};
        if constexpr (R == Reduce::Min) return Values{neg(max_over(neg(x), dims, keep))};
        return Values{max_over(x, dims, keep)};
    };
}

Kernel where_op(const NodeInfo& node) {
    node.attrs.allow_only({});
    return [](const Values& in) {
        return Values{where(need(in, 0, "Where").to(DType::Bool), need(in, 1, "Where"),
                            need(in, 2, "Where"))};
    };
}

// Sum, Mean, Max, Min of any number of inputs (broadcasting).
template <Reduce R> Kernel variadic(const NodeInfo& node) {
    node.attrs.allow_only({});
    return [](const Values& in) {
        Tensor acc = need(in, 0, "variadic op");
        for (std::size_t i = 1; i < in.size(); ++i) {
            const Tensor& x = need(in, i, "variadic op");
            if constexpr (R == Reduce::Max)
                acc = where(ge(acc, x), acc, x);
            else if constexpr (R == Reduce::Min)
                acc = where(le(acc, x), acc, x);
            else
                acc = add(acc, x);
        }
        if constexpr (R == Reduce::Mean) acc = div(acc, static_cast<double>(in.size()));
        return Values{acc};
    };
}

} // namespace

void register_math_ops(Registry& r) {
    r["Add"] = binary<add2>;
    r["Sub"] = binary<sub2>;
    r["Mul"] = binary<mul>;
    r["Div"] = binary<div2>;
    r["Pow"] = binary<pow2>;
    r["Equal"] = binary<eq>;
    r["Less"] = binary<lt>;
    r["LessOrEqual"] = binary<le>;
    r["Greater"] = binary<gt>;
    r["GreaterOrEqual"] = binary<ge>;
    r["And"] = binary<and2>;
    r["Or"] = binary<or2>;
    r["Xor"] = binary<xor2>;
    r["Not"] = unary<not1>;
    r["Sqrt"] = unary<sqrt>;
    r["Exp"] = unary<exp>;
    r["Log"] = unary<log>;
    r["Neg"] = unary<neg>;
    r["Abs"] = unary<abs>;
    r["Reciprocal"] = unary<reciprocal>;
    r["Relu"] = unary<relu>;
    r["Sigmoid"] = unary<sigmoid>;
    r["Tanh"] = unary<tanh>;
    r["Erf"] = unary<erf>;
    r["LeakyRelu"] = leaky_relu;
    r["Elu"] = elu_op;
    r["HardSigmoid"] = hard_sigmoid_op;
    r["HardSwish"] = hard_swish;
    r["Gelu"] = gelu_op;
    r["Clip"] = clip;
    r["Softmax"] = softmax_op<false>;
    r["LogSoftmax"] = softmax_op<true>;
    r["Cast"] = cast;
    r["ReduceSum"] = reduce_op<Reduce::Sum>;
    r["ReduceMean"] = reduce_op<Reduce::Mean>;
    r["ReduceMax"] = reduce_op<Reduce::Max>;
    r["ReduceMin"] = reduce_op<Reduce::Min>;
    r["Where"] = where_op;
    r["Sum"] = variadic<Reduce::Sum>;
    r["Mean"] = variadic<Reduce::Mean>;
    r["Max"] = variadic<Reduce::Max>;
    r["Min"] = variadic<Reduce::Min>;
}

} // namespace nnscope::io::onnx_ops
