// Losses. nll_loss and cross_entropy with class-index targets run fused kernels over the input
// seen as [batch, classes, inner] (inner = the product of the dims after the class dim), with
// fused backwards: cross_entropy's gradient is the softmax minus the (smoothed, weighted) one-hot
// target, so no log_softmax is materialised. Probability targets and broadcasting mse_loss
// compose the differentiable ops, exactly as PyTorch 1.13 spells them out.

#include "engine/ops/loss.h"

#include "engine/autograd/node.h"
#include "engine/ops/activation.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/reduce.h"
#include "engine/ops/scalar_type_name.h"
#include "engine/ops/softmax_line.h"
#include "engine/ops/strided.h"
#include "engine/parallel.h"

#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace nnscope {

namespace {

using autograd::SavedTensor;
using autograd::TensorList;

enum class Reduction { None, Mean, Sum };

Reduction parse_reduction(std::string_view reduction) {
    if (reduction == "mean") return Reduction::Mean;
    if (reduction == "sum") return Reduction::Sum;
    if (reduction == "none") return Reduction::None;
    throw std::invalid_argument(std::string(reduction) + " is not a valid value for reduction");
}

void check_dtype(const Tensor& t, DType expected) {
    if (t.dtype() != expected)
        throw std::invalid_argument(
            "expected scalar type " + std::string(detail::scalar_type_name(expected)) +
            " but found " + std::string(detail::scalar_type_name(t.dtype())));
}

// The input of a class-index loss seen as [batch, classes, inner]; the loss per target element
// has the target's shape.
struct ClassLayout {
    std::int64_t batch = 1;
    std::int64_t classes = 1;
    std::int64_t inner = 1;
    std::int64_t samples() const { return batch * inner; }
};

ClassLayout check_class_target(const Tensor& input, const Tensor& target, const Tensor& weight) {
    if (input.dim() < 1)
        throw std::invalid_argument("Expected 1 or more dimensions (got " +
                                    std::to_string(input.dim()) + ")");
    const Shape& in = input.shape();
    const Shape& tg = target.shape();
    if (input.dim() != 1) {
        const std::int64_t target_batch = tg.empty() ? 0 : tg[0];
        if (in[0] != target_batch)
            throw std::invalid_argument("Expected input batch_size (" + std::to_string(in[0]) +
                                        ") to match target batch_size (" +
                                        std::to_string(target_batch) + ").");
    }
    check_dtype(target, DType::Int64);
    ClassLayout layout;
    if (input.dim() == 1) {
        if (!tg.empty())
            throw std::invalid_argument("size mismatch (got input: " + shape_to_string(in) +
                                        ", target: " + shape_to_string(tg) +
                                        "): a 1-D input takes a 0-dim target");
        layout.classes = in[0];
    } else {
        layout.batch = in[0];
        layout.classes = in[1];
        if (input.dim() == 2 && tg.size() != 1)
            throw std::invalid_argument(
                "0D or 1D target tensor expected, multi-target not supported");
        Shape expected{in[0]};
        for (std::size_t d = 2; d < in.size(); ++d) {
            expected.push_back(in[d]);
            layout.inner *= in[d];
        }
        if (tg != expected)
            throw std::invalid_argument("Expected target size " + shape_to_string(expected) +
                                        ", got " + shape_to_string(tg));
    }
    if (weight.defined()) {
        if (weight.numel() != layout.classes)
            throw std::invalid_argument("weight tensor should be defined either for all " +
                                        std::to_string(layout.classes) +
                                        " classes or no classes but got weight tensor of "
                                        "shape: " +
                                        shape_to_string(weight.shape()));
        check_dtype(weight, input.dtype());
    }
    return layout;
}

[[noreturn]] void throw_out_of_bounds(std::int64_t target) {
    throw std::out_of_range("Target " + std::to_string(target) + " is out of bounds.");
}

// Checks every target in order before the samples are spread over threads, so the error names
// the first bad target whatever the team.
void check_targets(const std::int64_t* target, std::int64_t samples, std::int64_t classes,
                   std::int64_t ignore_index) {
    for (std::int64_t s = 0; s < samples; ++s)
        if (target[s] != ignore_index && (target[s] < 0 || target[s] >= classes))
            throw_out_of_bounds(target[s]);
}

// Samples per parallel piece of a class-index loss: each sample is a softmax over its classes.
std::int64_t sample_grain(const ClassLayout& l) {
    return std::max<std::int64_t>(1, detail::kHeavyGrain / std::max<std::int64_t>(1, l.classes));
}

// Elements per chunk of mse_loss's sum (fixed, whatever the team).
constexpr std::int64_t kLossChunk = 65536;

// The class weights as a plain vector (ones when undefined).
template <class T> std::vector<T> class_weights(const Tensor& weight, std::int64_t classes) {
    std::vector<T> w(static_cast<std::size_t>(classes), T(1));
    if (weight.defined()) {
        const Tensor c = weight.contiguous();
        const T* p = c.data_ptr<T>();
        std::copy(p, p + classes, w.begin());
    }
    return w;
}

// What a class-index loss keeps for its backward.
struct ClassLossState {
    SavedTensor target; // contiguous int64
    SavedTensor weight; // may be undefined
    ClassLayout layout;
    Shape input_shape;
    DType dtype = DType::Float32;
    Reduction reduction = Reduction::Mean;
    std::int64_t ignore_index = -100;
    double total_weight = 0.0; // sum of target weights over non-ignored targets

    // Scale of sample s's gradient: the incoming gradient, divided by the total weight for mean.
    template <class T> T grad_scale(const T* g, std::int64_t s) const {
        if (reduction == Reduction::None) return g[s];
        return reduction == Reduction::Mean ? static_cast<T>(g[0] / total_weight) : g[0];
    }
};

// Finishes a class-index loss: per-sample values (for "none") or the reduced total.
template <class T>
Tensor reduce_class_loss(std::vector<double>& per_sample, double total, double total_weight,
                         Reduction reduction, const Tensor& target) {
    if (reduction == Reduction::None) {
        Tensor out = Tensor::empty(target.shape(), DTypeOf<T>::value);
        T* dst = out.data_ptr<T>();
        for (std::size_t s = 0; s < per_sample.size(); ++s)
            dst[s] = static_cast<T>(per_sample[s]);
        return out;
    }
    // Mean with every target ignored is 0/0 = NaN, as in PyTorch 1.13.
    const double value = reduction == Reduction::Sum ? total : total / total_weight;
    return Tensor::full({}, value, DTypeOf<T>::value);
}

// --- nll_loss -------------------------------------------------------------------------------

class NllLossBackward final : public autograd::Node {
public:
    explicit NllLossBackward(ClassLossState state)
        : state_(std::move(state)) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined() || !needs_input_grad(0)) return {Tensor()};
        const Tensor g = grads[0].contiguous();
        Tensor out = Tensor::zeros(state_.input_shape, state_.dtype);
        dispatch_floating(state_.dtype, "nll_loss_backward", [&](auto tag) {
            using T = decltype(tag);
            const ClassLayout& l = state_.layout;
            const std::vector<T> w = class_weights<T>(state_.weight.get(), l.classes);
            const std::int64_t* target = state_.target.get().template data_ptr<std::int64_t>();
            const T* gp = g.data_ptr<T>();
            T* dst = out.data_ptr<T>();
            for (std::int64_t s = 0; s < l.samples(); ++s) {
                const std::int64_t t = target[s];
                if (t == state_.ignore_index) continue;
                const std::int64_t n = s / l.inner;
                const std::int64_t i = s % l.inner;
                dst[(n * l.classes + t) * l.inner + i] =
                    -w[static_cast<std::size_t>(t)] * state_.grad_scale(gp, s);
            }
        });
        return {out};
    }
    std::string name() const override { return "NllLossBackward0"; }
    void release_variables() override {
        state_.target.release();
        state_.weight.release();
    }

private:
    ClassLossState state_;
};

// --- cross_entropy with class indices -------------------------------------------------------

// What cross_entropy keeps beyond the target: the softmax of the input and the smoothing.
struct CrossEntropyState {
    ClassLossState base;
    SavedTensor probabilities; // softmax over the class dim, contiguous, input's shape
    double label_smoothing = 0.0;
};

// Per sample, with a the coefficient of the nll term and b that of the smoothing term:
//   d/dx_j = a·w_t·(p_j - [j == t]) + b·(p_j·Σ_c w_c - w_j).
class CrossEntropyBackward final : public autograd::Node {
public:
    explicit CrossEntropyBackward(CrossEntropyState state)
        : state_(std::move(state)) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined() || !needs_input_grad(0)) return {Tensor()};
        const ClassLossState& st = state_.base;
        const Tensor g = grads[0].contiguous();
        Tensor out = Tensor::empty(st.input_shape, st.dtype);
        dispatch_floating(st.dtype, "cross_entropy_backward", [&](auto tag) {
            using T = decltype(tag);
            const ClassLayout& l = st.layout;
            const std::vector<T> w = class_weights<T>(st.weight.get(), l.classes);
            T weight_total = 0;
            for (T v : w)
                weight_total += v;
            const std::int64_t* target = st.target.get().template data_ptr<std::int64_t>();
            const T* prob = state_.probabilities.get().template data_ptr<T>();
            const T* gp = g.data_ptr<T>();
            T* dst = out.data_ptr<T>();
            const double eps = state_.label_smoothing;
            // Each sample writes its own classes only.
            parallel::parallel_for(
                l.samples(), sample_grain(l), [&](std::int64_t first, std::int64_t last) {
                    for (std::int64_t s = first; s < last; ++s) {
                        const std::int64_t n = s / l.inner;
                        const std::int64_t base = n * l.classes * l.inner + s % l.inner;
                        const std::int64_t t = target[s];
                        if (t == st.ignore_index) {
                            for (std::int64_t c = 0; c < l.classes; ++c)
                                dst[base + c * l.inner] = T(0);
                            continue;
                        }
                        const T scale = st.grad_scale(gp, s);
                        const T a =
                            static_cast<T>(scale * (1.0 - eps)) * w[static_cast<std::size_t>(t)];
                        const T b = static_cast<T>(scale * eps / static_cast<double>(l.classes));
                        const T* p = prob + base;
                        T* d = dst + base;
                        if (eps > 0.0) {
                            for (std::int64_t c = 0; c < l.classes; ++c) {
                                const T pc = p[c * l.inner];
                                d[c * l.inner] = a * pc + b * (pc * weight_total -
                                                               w[static_cast<std::size_t>(c)]);
                            }
                        } else {
                            for (std::int64_t c = 0; c < l.classes; ++c)
                                d[c * l.inner] = a * p[c * l.inner];
                        }
                        d[t * l.inner] -= a;
                    }
                });
        });
        return {out};
    }
    std::string name() const override { return "CrossEntropyLossBackward0"; }
    void release_variables() override {
        state_.base.target.release();
        state_.base.weight.release();
        state_.probabilities.release();
    }

private:
    CrossEntropyState state_;
};

Tensor cross_entropy_indices(const Tensor& input, const Tensor& target, const Tensor& weight,
                             std::int64_t ignore_index, Reduction reduction,
                             double label_smoothing) {
    const ClassLayout l = check_class_target(input, target, weight);
    const Tensor x = input.contiguous();
    const Tensor t = target.contiguous();
    Tensor probabilities = Tensor::empty(x.shape(), x.dtype());
    double total_weight = 0.0;
    Tensor out = dispatch_floating(x.dtype(), "cross_entropy", [&](auto tag) {
        using T = decltype(tag);
        const std::vector<T> w = class_weights<T>(weight, l.classes);
        const T* src = x.data_ptr<T>();
        const std::int64_t* tp = t.data_ptr<std::int64_t>();
        T* prob = probabilities.data_ptr<T>();
        const double eps = label_smoothing;
        std::vector<double> per_sample(
            reduction == Reduction::None ? static_cast<std::size_t>(l.samples()) : 0);
        check_targets(tp, l.samples(), l.classes, ignore_index);
        // Samples are independent: the team computes each one's softmax and loss terms, then
        // the calling thread adds them up in sample order (the same sums for any team).
        std::vector<double> nll_of(static_cast<std::size_t>(l.samples()));
        std::vector<double> smooth_of(eps > 0.0 ? static_cast<std::size_t>(l.samples()) : 0);
        parallel::parallel_for(
            l.samples(), sample_grain(l), [&](std::int64_t first, std::int64_t last) {
                for (std::int64_t s = first; s < last; ++s) {
                    const std::int64_t base = (s / l.inner) * l.classes * l.inner + s % l.inner;
                    const T* row = src + base;
                    T* p = prob + base;
                    const auto [m, sum_exp] =
                        detail::softmax_line(row, l.inner, p, l.inner, l.classes);
                    const std::int64_t target_class = tp[s];
                    if (target_class == ignore_index) continue;
                    const double lse = static_cast<double>(m) + std::log(sum_exp);
                    const double wt = w[static_cast<std::size_t>(target_class)];
                    nll_of[static_cast<std::size_t>(s)] =
                        -wt * (static_cast<double>(row[target_class * l.inner]) - lse);
                    if (eps > 0.0) {
                        double smooth = 0.0;
                        for (std::int64_t c = 0; c < l.classes; ++c)
                            smooth -= static_cast<double>(w[static_cast<std::size_t>(c)]) *
                                      (static_cast<double>(row[c * l.inner]) - lse);
                        smooth_of[static_cast<std::size_t>(s)] = smooth;
                    }
                }
            });
        double nll_total = 0.0;
        double smooth_total = 0.0;
        for (std::int64_t s = 0; s < l.samples(); ++s) {
            const std::int64_t target_class = tp[s];
            if (target_class == ignore_index) continue;
            const double wt = w[static_cast<std::size_t>(target_class)];
            const double nll = nll_of[static_cast<std::size_t>(s)];
            double loss = nll;
            total_weight += wt;
            nll_total += nll;
            if (eps > 0.0) {
                const double smooth = smooth_of[static_cast<std::size_t>(s)];
                smooth_total += smooth;
                loss = (1.0 - eps) * nll + eps / static_cast<double>(l.classes) * smooth;
            }
            if (reduction == Reduction::None) per_sample[static_cast<std::size_t>(s)] = loss;
        }
        // Both terms of the mean divide by the total target weight (PyTorch 1.13's formula).
        const double total = eps > 0.0 ? (1.0 - eps) * nll_total +
                                             eps / static_cast<double>(l.classes) * smooth_total
                                       : nll_total;
        return reduce_class_loss<T>(per_sample, total, total_weight, reduction, t);
    });
    if (autograd::any_requires_grad({&input})) {
        CrossEntropyState state;
        state.base = {SavedTensor(t), SavedTensor(weight), l,
                      input.shape(),  input.dtype(),       reduction,
                      ignore_index,   total_weight};
        state.probabilities = SavedTensor(probabilities);
        state.label_smoothing = label_smoothing;
        auto node = std::make_shared<CrossEntropyBackward>(std::move(state));
        autograd::set_history(node, {&input}, out);
    }
    return out;
}

// cross_entropy_loss_prob_target of PyTorch 1.13, composed from differentiable ops.
Tensor cross_entropy_probabilities(const Tensor& input, const Tensor& target, const Tensor& weight,
                                   std::int64_t ignore_index, Reduction reduction,
                                   double label_smoothing) {
    if (!target.is_floating_point())
        throw std::invalid_argument(
            "Expected floating point type for target with class probabilities, got " +
            std::string(detail::scalar_type_name(target.dtype())));
    if (ignore_index >= 0)
        throw std::invalid_argument("ignore_index is not supported for floating point target");
    const std::int64_t class_dim = input.dim() == 1 ? 0 : 1;
    const std::int64_t classes = input.shape()[static_cast<std::size_t>(class_dim)];
    if (weight.defined() && (weight.dim() != 1 || weight.numel() != classes))
        throw std::invalid_argument(
            "cross_entropy: weight of shape " + shape_to_string(weight.shape()) + " for " +
            std::to_string(classes) + " classes; expected [" + std::to_string(classes) + "]");
    const Tensor lsm = log_softmax(input, class_dim);
    Tensor smoothed = target;
    if (label_smoothing > 0.0)
        smoothed =
            add(mul(target, 1.0 - label_smoothing), label_smoothing / static_cast<double>(classes));
    Tensor product = mul(lsm, smoothed);
    if (weight.defined()) {
        Shape broadcast(static_cast<std::size_t>(input.dim()), 1);
        broadcast[static_cast<std::size_t>(class_dim)] = classes;
        product = mul(product, weight.reshape(broadcast));
    }
    switch (reduction) {
    case Reduction::None:
        return neg(sum(product, {class_dim}));
    case Reduction::Sum:
        return neg(sum(product));
    case Reduction::Mean:
        if (input.numel() == 0) return Tensor::full({}, std::nan(""), input.dtype());
        return div(neg(sum(product)), static_cast<double>(input.numel() / classes));
    }
    return Tensor();
}

// --- mse_loss -------------------------------------------------------------------------------

class MseLossBackward final : public autograd::Node {
public:
    MseLossBackward(const Tensor& input, const Tensor& target, Reduction reduction)
        : input_(input)
        , target_(target)
        , reduction_(reduction) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined()) return {Tensor(), Tensor()};
        const Tensor& x = input_.get();
        const Tensor& y = target_.get();
        const Tensor g = grads[0].contiguous();
        Tensor gx = Tensor::empty(x.shape(), x.dtype());
        dispatch_floating(x.dtype(), "mse_loss_backward", [&](auto tag) {
            using T = decltype(tag);
            const T* xp = x.data_ptr<T>();
            const T* yp = y.data_ptr<T>();
            const T* gp = g.data_ptr<T>();
            T* dst = gx.data_ptr<T>();
            const std::int64_t n = x.numel();
            const T norm = reduction_ == Reduction::Mean ? T(2.0 / static_cast<double>(n)) : T(2);
            const bool none = reduction_ == Reduction::None;
            parallel::parallel_for(n, detail::kCheapGrain,
                                   [&](std::int64_t begin, std::int64_t end) {
                                       if (none) {
                                           for (std::int64_t i = begin; i < end; ++i)
                                               dst[i] = norm * (xp[i] - yp[i]) * gp[i];
                                       } else {
                                           const T g0 = gp[0];
                                           for (std::int64_t i = begin; i < end; ++i)
                                               dst[i] = norm * (xp[i] - yp[i]) * g0;
                                       }
                                   });
        });
        Tensor gy = needs_input_grad(1) ? neg(gx) : Tensor();
        return {needs_input_grad(0) ? gx : Tensor(), gy};
    }
    std::string name() const override { return "MseLossBackward0"; }
    void release_variables() override {
        input_.release();
        target_.release();
    }

private:
    SavedTensor input_;
    SavedTensor target_;
    Reduction reduction_;
};

} // namespace

Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight,
                std::int64_t ignore_index, std::string_view reduction_name) {
    const Reduction reduction = parse_reduction(reduction_name);
    const ClassLayout l = check_class_target(input, target, weight);
    const Tensor x = input.contiguous();
    const Tensor t = target.contiguous();
    double total_weight = 0.0;
    Tensor out = dispatch_floating(x.dtype(), "nll_loss", [&](auto tag) {
        using T = decltype(tag);
        const std::vector<T> w = class_weights<T>(weight, l.classes);
        const T* src = x.data_ptr<T>();
        const std::int64_t* tp = t.data_ptr<std::int64_t>();
        std::vector<double> per_sample(
            reduction == Reduction::None ? static_cast<std::size_t>(l.samples()) : 0);
        double total = 0.0;
        for (std::int64_t s = 0; s < l.samples(); ++s) {
            const std::int64_t c = tp[s];
            if (c == ignore_index) continue;
            if (c < 0 || c >= l.classes) throw_out_of_bounds(c);
            const double wt = w[static_cast<std::size_t>(c)];
            const std::int64_t n = s / l.inner;
            const double loss =
                -wt * static_cast<double>(src[(n * l.classes + c) * l.inner + s % l.inner]);
            total_weight += wt;
            total += loss;
            if (reduction == Reduction::None) per_sample[static_cast<std::size_t>(s)] = loss;
        }
        return reduce_class_loss<T>(per_sample, total, total_weight, reduction, t);
    });
    if (autograd::any_requires_grad({&input})) {
        ClassLossState state{SavedTensor(t), SavedTensor(weight), l,
                             input.shape(),  input.dtype(),       reduction,
                             ignore_index,   total_weight};
        auto node = std::make_shared<NllLossBackward>(std::move(state));
        autograd::set_history(node, {&input}, out);
    }
    return out;
}

Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight,
                     std::int64_t ignore_index, std::string_view reduction_name,
                     double label_smoothing) {
    const Reduction reduction = parse_reduction(reduction_name);
    if (label_smoothing < 0.0 || label_smoothing > 1.0) {
        std::ostringstream message; // shortest form, "1.5" as PyTorch prints it
        message << "label_smoothing must be between 0.0 and 1.0. Got: " << label_smoothing;
        throw std::invalid_argument(message.str());
    }
    if (input.shape() == target.shape())
        return cross_entropy_probabilities(input, target, weight, ignore_index, reduction,
                                           label_smoothing);
    return cross_entropy_indices(input, target, weight, ignore_index, reduction, label_smoothing);
}

Tensor mse_loss(const Tensor& input, const Tensor& target, std::string_view reduction_name) {
    const Reduction reduction = parse_reduction(reduction_name);
    if (input.shape() != target.shape() || input.dtype() != target.dtype() ||
        !input.is_floating_point()) {
        // Broadcasting or promoting, as PyTorch does (it warns about the shapes).
        const Tensor diff = sub(input, target);
        const Tensor squared = mul(diff, diff);
        if (reduction == Reduction::None) return squared;
        return reduction == Reduction::Sum ? sum(squared) : mean(squared);
    }
    const Tensor x = input.contiguous();
    const Tensor y = target.contiguous();
    Tensor out = dispatch_floating(x.dtype(), "mse_loss", [&](auto tag) {
        using T = decltype(tag);
        const T* xp = x.data_ptr<T>();
        const T* yp = y.data_ptr<T>();
        const std::int64_t n = x.numel();
        if (reduction == Reduction::None) {
            Tensor loss = Tensor::empty(x.shape(), x.dtype());
            T* dst = loss.data_ptr<T>();
            parallel::parallel_for(n, detail::kCheapGrain,
                                   [&](std::int64_t begin, std::int64_t end) {
                                       for (std::int64_t i = begin; i < end; ++i)
                                           dst[i] = (xp[i] - yp[i]) * (xp[i] - yp[i]);
                                   });
            return loss;
        }
        // Fixed chunks added in order: one chunk (today's single pass) up to kLossChunk.
        double total = parallel::parallel_reduce(
            n, kLossChunk, 0.0,
            [&](std::int64_t begin, std::int64_t end) {
                double part = 0.0;
                for (std::int64_t i = begin; i < end; ++i) {
                    const T d = xp[i] - yp[i];
                    part += static_cast<double>(d * d);
                }
                return part;
            },
            [](double a, double b) { return a + b; });
        if (reduction == Reduction::Mean) total /= static_cast<double>(n);
        return Tensor::full({}, total, x.dtype());
    });
    if (autograd::any_requires_grad({&input, &target})) {
        auto node = std::make_shared<MseLossBackward>(x, y, reduction);
        autograd::set_history(node, {&input, &target}, out);
    }
    return out;
}

} // namespace nnscope
