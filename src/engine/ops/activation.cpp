// Activations and (log-)softmax. Pointwise kernels run a plain loop over contiguous buffers (the
// compiler vectorises relu) and a strided walk otherwise; softmax works line by line along its
// dim, max-subtracted so that large logits do not overflow.

#include "engine/ops/activation.h"

#include "engine/autograd/node.h"
#include "engine/ops/along_dim.h"
#include "engine/ops/pointwise_map.h"
#include "engine/ops/softmax_line.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace nnscope {

namespace {

using autograd::SavedTensor;
using autograd::TensorList;
using detail::map_floating;
using detail::map_typed;
using detail::record_pointwise;

// Constants of PyTorch's GELU kernels.
constexpr double kSqrt1_2 = 0.70710678118654752440;  // 1/sqrt(2)
constexpr double kGeluPdf = 0.39894228040143267794;  // 1/sqrt(2 pi)
constexpr double kGeluBeta = 0.79788456080286535588; // sqrt(2/pi)
constexpr double kGeluKappa = 0.044715;

enum class GeluKind { None, Tanh };

GeluKind gelu_kind(std::string_view approximate) {
    if (approximate == "none") return GeluKind::None;
    if (approximate == "tanh") return GeluKind::Tanh;
    throw std::invalid_argument("approximate argument must be either none or tanh.");
}

template <class T> T gelu_value(T x, GeluKind kind) {
    if (kind == GeluKind::None) return x * T(0.5) * (T(1) + std::erf(x * T(kSqrt1_2)));
    const T inner = T(kGeluBeta) * (x + T(kGeluKappa) * x * x * x);
    return T(0.5) * x * (T(1) + std::tanh(inner));
}

template <class T> T gelu_grad(T g, T x, GeluKind kind) {
    if (kind == GeluKind::None) {
        const T cdf = T(0.5) * (T(1) + std::erf(x * T(kSqrt1_2)));
        const T pdf = std::exp(T(-0.5) * x * x) * T(kGeluPdf);
        return g * (cdf + x * pdf);
    }
    const T x_sq = x * x;
    const T inner = T(kGeluBeta) * (x + T(kGeluKappa) * x_sq * x);
    const T tanh_inner = std::tanh(inner);
    const T left = T(0.5) * x;
    const T right = T(1) + tanh_inner;
    const T left_derivative = T(0.5) * right;
    const T right_derivative =
        left * (T(1) - tanh_inner * tanh_inner) * T(kGeluBeta) * (T(1) + T(3 * kGeluKappa) * x_sq);
    return g * (left_derivative + right_derivative);
}

// --- softmax --------------------------------------------------------------------------------

// Softmax or log-softmax of every line along dim, into a fresh contiguous tensor.
Tensor softmax_kernel(const Tensor& x, std::int64_t dim, bool take_log, const char* op) {
    Tensor out = Tensor::empty(x.shape(), x.dtype());
    dispatch_floating(x.dtype(), op, [&](auto tag) {
        using T = decltype(tag);
        const T* src = reinterpret_cast<const T*>(x.storage()->data());
        T* dst = out.data_ptr<T>();
        const Shape out_strides = contiguous_strides(x.shape());
        const bool scalar = x.dim() == 0;
        const auto d = static_cast<std::size_t>(dim);
        const std::int64_t length = scalar ? 1 : x.shape()[d];
        const std::int64_t in_step = scalar ? 0 : x.strides()[d];
        const std::int64_t out_step = scalar ? 0 : out_strides[d];
        auto line = [&](const auto& o) {
            const T* in = src + o[0];
            T* res = dst + o[1];
            if (!take_log) {
                detail::softmax_line(in, in_step, res, out_step, length);
                return;
            }
            const T m = detail::line_max(in, length, in_step);
            const double total = detail::line_sum_exp(in, length, in_step, m);
            // (x - max) - log(sum), in this order: adding log(sum) to a
            // large max first would round it away.
            const T log_total = static_cast<T>(std::log(total));
            if (in_step == 1 && out_step == 1) {
                Eigen::Map<detail::LineArray<T>>(res, length) =
                    (Eigen::Map<const detail::LineArray<T>>(in, length) - m) - log_total;
                return;
            }
            for (std::int64_t k = 0; k < length; ++k)
                res[k * out_step] = (in[k * in_step] - m) - log_total;
        };
        // Lines are independent; each one is computed whole by one thread.
        detail::parallel_for_each_line<2>(x.shape(), dim, {x.strides().data(), out_strides.data()},
                                          {x.offset(), 0}, detail::kHeavyGrain, line);
    });
    return out;
}

// One line of the softmax backward: with s = sum(g * y), grad_in = y * (g - s); of the
// log_softmax backward: with s = sum(g), grad_in = g - exp(y) * s.
template <class T>
void softmax_backward_line(const T* y, const T* g, T* out, std::int64_t n, std::int64_t step,
                           bool log) {
    if (step == 1) {
        using Map = Eigen::Map<const detail::LineArray<T>>;
        const Map ya(y, n);
        const Map ga(g, n);
        Eigen::Map<detail::LineArray<T>> result(out, n);
        if (log)
            result = ga - ya.exp() * ga.sum();
        else
            result = ya * (ga - (ga * ya).sum());
        return;
    }
    double total = 0.0;
    for (std::int64_t k = 0; k < n; ++k)
        total += static_cast<double>(log ? g[k * step] : g[k * step] * y[k * step]);
    const T s = static_cast<T>(total);
    for (std::int64_t k = 0; k < n; ++k)
        out[k * step] =
            log ? g[k * step] - std::exp(y[k * step]) * s : y[k * step] * (g[k * step] - s);
}

// softmax: grad_in = y * (g - sum(g * y)); log_softmax: grad_in = g - exp(y) * sum(g).
class SoftmaxBackward final : public autograd::Node {
public:
    SoftmaxBackward(const Tensor& result, std::int64_t dim, bool log)
        : result_(result)
        , dim_(dim)
        , log_(log) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined() || !needs_input_grad(0)) return {Tensor()};
        const Tensor& y = result_.get(); // contiguous: our own output
        const Tensor g = grads[0].contiguous();
        Tensor out = Tensor::empty(y.shape(), y.dtype());
        dispatch_floating(y.dtype(), name().c_str(), [&](auto tag) {
            using T = decltype(tag);
            const T* yp = y.data_ptr<T>();
            const T* gp = g.data_ptr<T>();
            T* dst = out.data_ptr<T>();
            const Shape strides = contiguous_strides(y.shape());
            const bool scalar = y.dim() == 0;
            const std::int64_t length = scalar ? 1 : y.shape()[static_cast<std::size_t>(dim_)];
            const std::int64_t step = scalar ? 0 : strides[static_cast<std::size_t>(dim_)];
            detail::parallel_for_each_line<1>(
                y.shape(), dim_, {strides.data()}, {0}, detail::kHeavyGrain, [&](const auto& o) {
                    softmax_backward_line(yp + o[0], gp + o[0], dst + o[0], length, step, log_);
                });
        });
        return {out};
    }
    std::string name() const override { return log_ ? "LogSoftmaxBackward0" : "SoftmaxBackward0"; }
    void release_variables() override { result_.release(); }

private:
    SavedTensor result_;
    std::int64_t dim_;
    bool log_;
};

Tensor softmax_impl(const Tensor& x, std::int64_t dim, bool log) {
    const char* op = log ? "log_softmax" : "softmax";
    dim = wrap_dim(dim, x.dim(), op);
    Tensor out = softmax_kernel(x, dim, log, op);
    if (autograd::any_requires_grad({&x})) {
        auto node = std::make_shared<SoftmaxBackward>(out, dim, log);
        autograd::set_history(node, {&x}, out);
    }
    return out;
}

} // namespace

Tensor relu(const Tensor& x) {
    if (x.dtype() == DType::Bool)
        throw std::invalid_argument("Boolean inputs not supported for relu");
    // v < 0 keeps NaN (NaN < 0 is false) and -0.0, as PyTorch's clamp_min does.
    Tensor out = dispatch_all(x.dtype(), "relu", [&](auto tag) {
        using T = decltype(tag);
        if constexpr (std::is_unsigned_v<T>)
            return x.clone();
        else
            return map_typed<T, T>(x, x.dtype(), detail::kCheapGrain,
                                   [](T v) { return v < T(0) ? T(0) : v; });
    });
    // threshold_backward on the result: NaN results pass the gradient, as in PyTorch.
    record_pointwise(x, out, "ReluBackward0", out,
                     [](auto g, auto y) { return y <= decltype(y)(0) ? decltype(g)(0) : g; });
    return out;
}

Tensor sigmoid(const Tensor& x) {
    Tensor out = map_floating(x, "sigmoid", true, [](auto v) {
        return decltype(v)(1) / (decltype(v)(1) + std::exp(-v));
    });
    record_pointwise(x, out, "SigmoidBackward0", out,
                     [](auto g, auto y) { return g * (decltype(y)(1) - y) * y; });
    return out;
}

Tensor tanh(const Tensor& x) {
    Tensor out = map_floating(x, "tanh", true, [](auto v) { return std::tanh(v); });
    record_pointwise(x, out, "TanhBackward0", out,
                     [](auto g, auto y) { return g * (decltype(y)(1) - y * y); });
    return out;
}

Tensor gelu(const Tensor& x, std::string_view approximate) {
    const GeluKind kind = gelu_kind(approximate);
    Tensor out = map_floating(x, "gelu", false, [kind](auto v) { return gelu_value(v, kind); });
    record_pointwise(
        x, out, "GeluBackward0", x, [kind](auto g, auto v) { return gelu_grad(g, v, kind); },
        detail::kHeavyGrain);
    return out;
}

Tensor softmax(const Tensor& x, std::int64_t dim) {
    return softmax_impl(x, dim, false);
}

Tensor log_softmax(const Tensor& x, std::int64_t dim) {
    return softmax_impl(x, dim, true);
}

} // namespace nnscope
