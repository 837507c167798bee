// Pointwise ops. Each op computes on contiguous buffers when it can (the common case in
// training) and through strided, broadcasting walks otherwise; backward nodes reuse the ops.

#include "engine/ops/elementwise.h"

#include "engine/autograd/node.h"
#include "engine/ops/reduce.h"
#include "engine/ops/strided.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace nnscope {

using autograd::Node;
using autograd::SavedTensor;
using autograd::TensorList;

namespace {

int category(DType t) {
    if (t == DType::Bool) return 0;
    if (is_floating_point(t)) return 2;
    return 1;
}

int rank_in_category(DType t) {
    switch (t) {
    case DType::Float64:
        return 4;
    case DType::Float32:
        return 3;
    case DType::BFloat16:
        return 2;
    case DType::Float16:
        return 1;
    case DType::Int64:
        return 4;
    case DType::Int32:
        return 3;
    case DType::Int16:
        return 2;
    case DType::Int8:
        return 1;
    case DType::UInt8:
        return 1;
    default:
        return 0;
    }
}

DType promote(DType a, DType b) {
    if (a == b) return a;
    if (category(a) != category(b)) return category(a) > category(b) ? a : b;
    if ((a == DType::UInt8 && b == DType::Int8) || (a == DType::Int8 && b == DType::UInt8))
        return DType::Int16;
    if ((a == DType::Float16 && b == DType::BFloat16) ||
        (a == DType::BFloat16 && b == DType::Float16))
        return DType::Float32;
    return rank_in_category(a) >= rank_in_category(b) ? a : b;
}

// The dtype computations run in: float16/bfloat16 compute in float32.
DType compute_type(DType t) {
    return (t == DType::Float16 || t == DType::BFloat16) ? DType::Float32 : t;
}

Tensor as_type(const Tensor& t, DType dtype) {
    return t.dtype() == dtype ? t.detach() : t.detach().to(dtype);
}

// out[i] = op(a[i], b[i]) over the broadcast shape, in type T (a and b already of type T).
// Every element is computed on its own, so the team may cut the range anywhere.
template <class T, class Op>
Tensor binary_kernel(const Tensor& a, const Tensor& b, Op op, std::int64_t grain) {
    const Shape shape = broadcast_shapes(a.shape(), b.shape());
    Tensor out = Tensor::empty(shape, DTypeOf<T>::value);
    T* o = out.data_ptr<T>();
    const T* pa = a.data_ptr<T>();
    const T* pb = b.data_ptr<T>();
    const std::int64_t n = out.numel();
    if (a.shape() == shape && b.shape() == shape && a.is_contiguous() && b.is_contiguous()) {
        parallel::parallel_for(n, grain, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t i = begin; i < end; ++i)
                o[i] = op(pa[i], pb[i]);
        });
        return out;
    }
    if (a.shape() == shape && a.is_contiguous() && b.numel() == 1) {
        const T s = *pb;
        parallel::parallel_for(n, grain, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t i = begin; i < end; ++i)
                o[i] = op(pa[i], s);
        });
        return out;
    }
    const Shape sa = detail::broadcast_strides(a, shape);
    const Shape sb = detail::broadcast_strides(b, shape);
    const Shape so = out.strides();
    T* base_o = out.data_ptr<T>();
    const T* base_a = reinterpret_cast<const T*>(a.storage()->data());
    const T* base_b = reinterpret_cast<const T*>(b.storage()->data());
    detail::parallel_for_each_strided<3>(
        shape, {so.data(), sa.data(), sb.data()}, {0, a.offset(), b.offset()}, grain,
        [&](const auto& off) { base_o[off[0]] = op(base_a[off[1]], base_b[off[2]]); });
    return out;
}

template <class Op>
Tensor binary_op(const Tensor& a, const Tensor& b, DType type, Op op,
                 std::int64_t grain = detail::kCheapGrain) {
    const DType compute = compute_type(type);
    Tensor ca = as_type(a, compute);
    Tensor cb = as_type(b, compute);
    Tensor out = dispatch_all(compute, "binary op", [&](auto tag) {
        using T = decltype(tag);
        return binary_kernel<T>(
            ca, cb, [&](T x, T y) { return static_cast<T>(op(x, y)); }, grain);
    });
    return out.dtype() == type ? out : out.to(type);
}

// out[i] = op(x[i]) in floating type T.
template <class Op>
Tensor unary_float_op(const Tensor& x, const char* name, Op op,
                      std::int64_t grain = detail::kCheapGrain) {
    const DType type = x.is_floating_point() ? x.dtype() : DType::Float32;
    const DType compute = compute_type(type);
    Tensor in = as_type(x, compute).contiguous();
    Tensor out = Tensor::empty(x.shape(), compute);
    dispatch_floating(compute, name, [&](auto tag) {
        using T = decltype(tag);
        const T* pi = in.data_ptr<T>();
        T* po = out.data_ptr<T>();
        parallel::parallel_for(in.numel(), grain, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t i = begin; i < end; ++i)
                po[i] = static_cast<T>(op(pi[i]));
        });
    });
    return compute == type ? out : out.to(type);
}

Tensor scalar_like(double value, const Tensor& t) {
    return Tensor::scalar(value, t.is_floating_point() ? t.dtype() : DType::Float32);
}

// --- backward nodes -------------------------------------------------------------------------

class AddBackward final : public Node {
public:
    AddBackward(Shape a, Shape b, double alpha)
        : a_(std::move(a))
        , b_(std::move(b))
        , alpha_(alpha) {}
    TensorList apply(TensorList&& g) override {
        TensorList out(2);
        if (needs_input_grad(0)) out[0] = sum_to(g[0], a_);
        if (needs_input_grad(1)) out[1] = sum_to(alpha_ == 1.0 ? g[0] : mul(g[0], alpha_), b_);
        return out;
    }
    std::string name() const override { return alpha_ == -1.0 ? "SubBackward0" : "AddBackward0"; }

private:
    Shape a_, b_;
    double alpha_;
};

class MulBackward final : public Node {
public:
    MulBackward(const Tensor& a, const Tensor& b, bool save_a, bool save_b) {
        if (save_a) a_ = SavedTensor(a);
        if (save_b) b_ = SavedTensor(b);
        shape_a_ = a.shape();
        shape_b_ = b.shape();
    }
    TensorList apply(TensorList&& g) override {
        TensorList out(2);
        if (needs_input_grad(0)) out[0] = sum_to(mul(g[0], b_.get()), shape_a_);
        if (needs_input_grad(1)) out[1] = sum_to(mul(g[0], a_.get()), shape_b_);
        return out;
    }
    void release_variables() override {
        a_.release();
        b_.release();
    }
    std::string name() const override { return "MulBackward0"; }

private:
    SavedTensor a_, b_;
    Shape shape_a_, shape_b_;
};

class DivBackward final : public Node {
public:
    DivBackward(const Tensor& a, const Tensor& b)
        : a_(a)
        , b_(b) {}
    TensorList apply(TensorList&& g) override {
        TensorList out(2);
        const Tensor& b = b_.get();
        if (needs_input_grad(0)) out[0] = sum_to(div(g[0], b), a_.get().shape());
        if (needs_input_grad(1))
            out[1] = sum_to(neg(div(mul(g[0], a_.get()), mul(b, b))), b.shape());
        return out;
    }
    void release_variables() override {
        a_.release();
        b_.release();
    }
    std::string name() const override { return "DivBackward0"; }

private:
    SavedTensor a_, b_;
};

class ScaleBackward final : public Node { // for mul/div by a number and neg
public:
    ScaleBackward(double factor, const char* name)
        : factor_(factor)
        , name_(name) {}
    TensorList apply(TensorList&& g) override { return {mul(g[0], factor_)}; }
    std::string name() const override { return name_; }

private:
    double factor_;
    const char* name_;
};

class PassBackward final : public Node { // add/sub of a number
public:
    TensorList apply(TensorList&& g) override { return {std::move(g[0])}; }
    std::string name() const override { return "AddBackward1"; }
};

// Backward of an op y = f(x) whose derivative is computed from x and y by `derivative`.
class UnaryBackward final : public Node {
public:
    using Derivative = Tensor (*)(const Tensor& grad, const Tensor& x, const Tensor& y,
                                  double param);
    UnaryBackward(const char* name, Derivative d, const Tensor& x, const Tensor& y,
                  double param = 0)
        : name_(name)
        , derivative_(d)
        , x_(x)
        , y_(y)
        , param_(param) {}
    TensorList apply(TensorList&& g) override {
        return {derivative_(g[0], x_.get(), y_.get(), param_)};
    }
    void release_variables() override {
        x_.release();
        y_.release();
    }
    std::string name() const override { return name_; }

private:
    const char* name_;
    Derivative derivative_;
    SavedTensor x_, y_;
    double param_;
};

class PowBackward final : public Node { // tensor ** tensor
public:
    PowBackward(const Tensor& a, const Tensor& b, const Tensor& out)
        : a_(a)
        , b_(b)
        , out_(out) {}
    TensorList apply(TensorList&& g) override {
        TensorList grads(2);
        const Tensor& a = a_.get();
        const Tensor& b = b_.get();
        if (needs_input_grad(0))
            grads[0] = sum_to(mul(g[0], mul(b, pow(a, sub(b, 1.0)))), a.shape());
        if (needs_input_grad(1)) {
            // d/db a^b = a^b · log(a), defined as 0 where a == 0 and b >= 0 (as PyTorch).
            Tensor term = mul(out_.get(), log(a));
            Tensor zero_base = where(eq(a, Tensor::scalar(0.0, a.dtype())),
                                     Tensor::scalar(0.0, term.dtype()), term);
            Tensor safe = where(ge(b, Tensor::scalar(0.0, b.dtype())), zero_base, term);
            grads[1] = sum_to(mul(g[0], safe), b.shape());
        }
        return grads;
    }
    void release_variables() override {
        a_.release();
        b_.release();
        out_.release();
    }
    std::string name() const override { return "PowBackward1"; }

private:
    SavedTensor a_, b_, out_;
};

template <class Op> Tensor pointwise(const Tensor& x, const Tensor& y, Op op) {
    return binary_op(x, y, result_type(x, y), op);
}

} // namespace

// --- promotion and broadcasting -------------------------------------------------------------

DType result_type(const Tensor& a, const Tensor& b) {
    const bool a_dims = a.dim() > 0;
    const bool b_dims = b.dim() > 0;
    if (a_dims != b_dims) {
        const Tensor& dims = a_dims ? a : b;
        const Tensor& zero = a_dims ? b : a;
        // A 0-dim operand only decides when it is of a higher category.
        if (category(zero.dtype()) > category(dims.dtype())) return zero.dtype();
        return dims.dtype();
    }
    return promote(a.dtype(), b.dtype());
}

Shape broadcast_shapes(const Shape& a, const Shape& b) {
    const std::size_t n = std::max(a.size(), b.size());
    Shape out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
        const std::int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
        if (da != db && da != 1 && db != 1)
            throw std::invalid_argument("The size of tensor a (" + std::to_string(da) +
                                        ") must match the size of tensor b (" + std::to_string(db) +
                                        ") at non-singleton dimension " + std::to_string(i) +
                                        ": shapes " + shape_to_string(a) + " and " +
                                        shape_to_string(b) + " do not broadcast");
        out[i] = da == 1 ? db : da;
    }
    return out;
}

// --- arithmetic -------------------------------------------------------------------------------

Tensor add(const Tensor& a, const Tensor& b, double alpha) {
    Tensor out = alpha == 1.0 ? pointwise(a, b, [](auto x, auto y) { return x + y; })
                              : pointwise(a, b, [alpha](auto x, auto y) {
                                    return x + static_cast<decltype(x)>(alpha) * y;
                                });
    if (autograd::any_requires_grad({&a, &b}))
        autograd::set_history(std::make_shared<AddBackward>(a.shape(), b.shape(), alpha), {&a, &b},
                              out);
    return out;
}

Tensor sub(const Tensor& a, const Tensor& b, double alpha) {
    if (a.dtype() == DType::Bool && b.dtype() == DType::Bool)
        throw std::invalid_argument("Subtraction, the `-` operator, with two bool tensors is not "
                                    "supported. Use the `^` or `logical_xor()` operator instead.");
    return add(a, b, -alpha);
}

Tensor mul(const Tensor& a, const Tensor& b) {
    Tensor out = pointwise(a, b, [](auto x, auto y) { return x * y; });
    if (autograd::any_requires_grad({&a, &b}))
        // Each input's gradient needs the other input only.
        autograd::set_history(
            std::make_shared<MulBackward>(a, b, b.requires_grad(), a.requires_grad()), {&a, &b},
            out);
    return out;
}

Tensor div(const Tensor& a, const Tensor& b) {
    // True division: integers divide as floats, as torch.div does by default.
    DType type = result_type(a, b);
    if (!is_floating_point(type)) type = DType::Float32;
    Tensor out = binary_op(a, b, type, [](auto x, auto y) { return x / y; });
    if (autograd::any_requires_grad({&a, &b}))
        autograd::set_history(std::make_shared<DivBackward>(a, b), {&a, &b}, out);
    return out;
}

Tensor add(const Tensor& a, double b) {
    Tensor out = pointwise(a.detach(), scalar_like(b, a), [](auto x, auto y) { return x + y; });
    if (autograd::any_requires_grad({&a}))
        autograd::set_history(std::make_shared<PassBackward>(), {&a}, out);
    return out;
}

Tensor sub(const Tensor& a, double b) {
    return add(a, -b);
}

Tensor mul(const Tensor& a, double b) {
    Tensor out = pointwise(a.detach(), scalar_like(b, a), [](auto x, auto y) { return x * y; });
    if (autograd::any_requires_grad({&a}))
        autograd::set_history(std::make_shared<ScaleBackward>(b, "MulBackward1"), {&a}, out);
    return out;
}

Tensor div(const Tensor& a, double b) {
    Tensor out =
        binary_op(a.detach(), scalar_like(b, a), a.is_floating_point() ? a.dtype() : DType::Float32,
                  [](auto x, auto y) { return x / y; });
    if (autograd::any_requires_grad({&a}))
        autograd::set_history(std::make_shared<ScaleBackward>(1.0 / b, "DivBackward1"), {&a}, out);
    return out;
}

Tensor neg(const Tensor& a) {
    if (a.dtype() == DType::Bool)
        throw std::invalid_argument("Negation, the `-` operator, on a bool tensor is not "
                                    "supported. If you are trying to invert a mask, use the `~` "
                                    "or `logical_not()` operator instead.");
    Tensor out = dispatch_all(compute_type(a.dtype()), "neg", [&](auto tag) {
        using T = decltype(tag);
        Tensor in = as_type(a, DTypeOf<T>::value).contiguous();
        Tensor r = Tensor::empty(a.shape(), DTypeOf<T>::value);
        const T* pi = in.data_ptr<T>();
        T* po = r.data_ptr<T>();
        parallel::parallel_for(in.numel(), detail::kCheapGrain,
                               [&](std::int64_t begin, std::int64_t end) {
                                   for (std::int64_t i = begin; i < end; ++i)
                                       po[i] = static_cast<T>(-pi[i]);
                               });
        return r;
    });
    if (out.dtype() != a.dtype()) out = out.to(a.dtype());
    if (autograd::any_requires_grad({&a}))
        autograd::set_history(std::make_shared<ScaleBackward>(-1.0, "NegBackward0"), {&a}, out);
    return out;
}

Tensor pow(const Tensor& a, const Tensor& exponent) {
    DType type = result_type(a, exponent);
    Tensor out = binary_op(
        a, exponent, type,
        [](auto x, auto y) {
            using T = decltype(x);
            if constexpr (std::is_floating_point_v<T>) {
                return static_cast<T>(std::pow(x, y));
            } else if constexpr (std::is_same_v<T, bool>) {
                return static_cast<T>(x || !y);
            } else {
                if (y < 0) {
                    if (x == 1) return T(1);
                    if (x == -1) return static_cast<T>((y % 2) ? -1 : 1);
                    throw std::invalid_argument(
                        "Integers to negative integer powers are not allowed.");
                }
                T result = 1, base = x;
                for (auto e = y; e > 0; e >>= 1) {
                    if (e & 1) result = static_cast<T>(result * base);
                    base = static_cast<T>(base * base);
                }
                return result;
            }
        },
        detail::kHeavyGrain);
    if (autograd::any_requires_grad({&a, &exponent}))
        autograd::set_history(std::make_shared<PowBackward>(a, exponent, out), {&a, &exponent},
                              out);
    return out;
}

Tensor pow(const Tensor& a, double exponent) {
    Tensor out;
    if (!a.is_floating_point()) {
        out = pow(a.detach(), Tensor::scalar(exponent, DType::Float32));
    } else {
        out = unary_float_op(
            a, "pow",
            [exponent](auto x) {
                using T = decltype(x);
                if (exponent == 2.0) return static_cast<T>(x * x);
                return static_cast<T>(std::pow(x, static_cast<T>(exponent)));
            },
            exponent == 2.0 ? detail::kCheapGrain : detail::kHeavyGrain);
    }
    if (autograd::any_requires_grad({&a}))
        autograd::set_history(std::make_shared<UnaryBackward>(
                                  "PowBackward0",
                                  [](const Tensor& g, const Tensor& x, const Tensor&, double p) {
                                      if (p == 0.0) return mul(g, 0.0);
                                      return mul(g, mul(pow(x, p - 1.0), p));
                                  },
                                  a, Tensor(), exponent),
                              {&a}, out);
    return out;
}

Tensor exp(const Tensor& a) {
    Tensor out = unary_float_op(
        a, "exp", [](auto x) { return std::exp(x); }, detail::kHeavyGrain);
    if (autograd::any_requires_grad({&a}))
        autograd::set_history(
            std::make_shared<UnaryBackward>(
                "ExpBackward0",
                [](const Tensor& g, const Tensor&, const Tensor& y, double) { return mul(g, y); },
                Tensor(), out),
            {&a}, out);
    return out;
}

Tensor erf(const Tensor& a) {
    Tensor out = unary_float_op(
        a, "erf", [](auto x) { return std::erf(x); }, detail::kHeavyGrain);
    if (autograd::any_requires_grad({&a}))
        autograd::set_history(std::make_shared<UnaryBackward>(
                                  "ErfBackward0",
                                  [](const Tensor& g, const Tensor& x, const Tensor&, double) {
                                      // d/dx erf(x) = 2/sqrt(pi) exp(-x^2)
                                      return mul(g, mul(exp(neg(mul(x, x))), 1.1283791670955126));
                                  },
                                  a, Tensor()),
                              {&a}, out);
    return out;
}

Tensor log(const Tensor& a) {
    Tensor out = unary_float_op(
        a, "log", [](auto x) { return std::log(x); }, detail::kHeavyGrain);
    if (autograd::any_requires_grad({&a}))
        autograd::set_history(
            std::make_shared<UnaryBackward>(
                "LogBackward0",
                [](const Tensor& g, const Tensor& x, const Tensor&, double) { return div(g, x); },
                a, Tensor()),
            {&a}, out);
    return out;
}

Tensor sqrt(const Tensor& a) {
    Tensor out = unary_float_op(a, "sqrt", [](auto x) { return std::sqrt(x); });
    if (autograd::any_requires_grad({&a}))
        autograd::set_history(std::make_shared<UnaryBackward>(
                                  "SqrtBackward0",
                                  [](const Tensor& g, const Tensor&, const Tensor& y, double) {
                                      return div(g, mul(y, 2.0));
                                  },
                                  Tensor(), out),
                              {&a}, out);
    return out;
}

Tensor abs(const Tensor& a) {
    Tensor out;
    if (a.is_floating_point())
        out = unary_float_op(a, "abs", [](auto x) { return std::abs(x); });
    else
        out = where(lt(a, Tensor::scalar(0, a.dtype())), neg(a.detach()), a.detach());
    if (autograd::any_requires_grad({&a}))
        autograd::set_history(std::make_shared<UnaryBackward>(
                                  "AbsBackward0",
                                  [](const Tensor& g, const Tensor& x, const Tensor&, double) {
                                      // sign(x), with sign(0) = 0 as PyTorch.
                                      Tensor sign = unary_float_op(x, "sign", [](auto v) {
                                          using T = decltype(v);
                                          return static_cast<T>((v > 0) - (v < 0));
                                      });
                                      return mul(g, sign);
                                  },
                                  a, Tensor()),
                              {&a}, out);
    return out;
}

Tensor clamp(const Tensor& a, std::optional<double> min, std::optional<double> max) {
    if (!min && !max)
        throw std::invalid_argument("clamp: At least one of 'min' or 'max' must not be None");
    const double lo = min.value_or(-INFINITY);
    const double hi = max.value_or(INFINITY);
    Tensor out;
    if (a.is_floating_point()) {
        out = unary_float_op(a, "clamp", [lo, hi](auto x) {
            using T = decltype(x);
            if (std::isnan(x)) return x;
            // As PyTorch: min(max(x, lo), hi), so lo > hi gives hi everywhere.
            return std::min(std::max(x, static_cast<T>(lo)), static_cast<T>(hi));
        });
    } else {
        Tensor mn = Tensor::scalar(lo, DType::Float64), mx = Tensor::scalar(hi, DType::Float64);
        out = where(lt(a, mn), Tensor::scalar(lo, a.dtype()), a.detach());
        out = where(gt(out, mx), Tensor::scalar(hi, a.dtype()), out);
    }
    if (autograd::any_requires_grad({&a}))
        autograd::set_history(std::make_shared<UnaryBackward>(
                                  "ClampBackward1",
                                  [](const Tensor& g, const Tensor& x, const Tensor& y, double) {
                                      // Gradient passes where the input was inside [min, max]
                                      // (bounds included).
                                      (void)y;
                                      return where(eq(x, y), g, Tensor::scalar(0.0, g.dtype()));
                                  },
                                  a, out),
                              {&a}, out);
    return out;
}

} // namespace nnscope
