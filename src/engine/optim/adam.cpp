#include "engine/optim/adam.h"

#include "engine/nn/value.h"

#include <Eigen/Core>
#include <cmath>

namespace nnscope::optim {

namespace {

// One parameter's update, each operation rounding to T as PyTorch's in-place kernels do.
template <class T>
void adam_update(T* param, const T* grad, AdamState& s, std::int64_t n, const AdamOptions& o,
                 bool decoupled) {
    using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
    Eigen::Map<Array> p(param, n);
    Eigen::Map<const Array> g_raw(grad, n);
    Eigen::Map<Array> exp_avg(s.exp_avg.data_ptr<T>(), n);
    Eigen::Map<Array> exp_avg_sq(s.exp_avg_sq.data_ptr<T>(), n);

    s.step += 1;
    Array g = o.maximize ? Array(-g_raw) : Array(g_raw);
    if (decoupled)
        p = p * static_cast<T>(1 - o.lr * o.weight_decay);
    else if (o.weight_decay != 0)
        g = g + static_cast<T>(o.weight_decay) * p;

    exp_avg = exp_avg * static_cast<T>(o.beta1) + static_cast<T>(1 - o.beta1) * g;
    exp_avg_sq = exp_avg_sq * static_cast<T>(o.beta2) + static_cast<T>(1 - o.beta2) * g * g;

    const double bias_correction1 = 1 - std::pow(o.beta1, s.step);
    const double bias_correction2 = 1 - std::pow(o.beta2, s.step);
    const double step_size = o.lr / bias_correction1;
    const T bias_correction2_sqrt = static_cast<T>(std::sqrt(bias_correction2));
    const T eps = static_cast<T>(o.eps);
    const T neg_step_size = static_cast<T>(-step_size);
    if (o.amsgrad) {
        Eigen::Map<Array> max_sq(s.max_exp_avg_sq.data_ptr<T>(), n);
        max_sq = max_sq.max(exp_avg_sq);
        p = p + neg_step_size * exp_avg / (max_sq.sqrt() / bias_correction2_sqrt + eps);
    } else {
        p = p + neg_step_size * exp_avg / (exp_avg_sq.sqrt() / bias_correction2_sqrt + eps);
    }
}

std::string num(double x) {
    return nn::python_float_repr(x);
}

} // namespace

void validate(const AdamOptions& o) {
    if (!(0.0 <= o.lr)) throw std::invalid_argument("Invalid learning rate: " + num(o.lr));
    if (!(0.0 <= o.eps)) throw std::invalid_argument("Invalid epsilon value: " + num(o.eps));
    if (!(0.0 <= o.beta1 && o.beta1 < 1.0))
        throw std::invalid_argument("Invalid beta parameter at index 0: " + num(o.beta1));
    if (!(0.0 <= o.beta2 && o.beta2 < 1.0))
        throw std::invalid_argument("Invalid beta parameter at index 1: " + num(o.beta2));
    if (!(0.0 <= o.weight_decay))
        throw std::invalid_argument("Invalid weight_decay value: " + num(o.weight_decay));
}

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options)
    : Adam(std::move(params), options, false) {}

Adam::Adam(std::vector<Tensor> params, const AdamOptions& options, bool decoupled_weight_decay)
    : decoupled_weight_decay_(decoupled_weight_decay) {
    validate(options);
    add_param_group(std::move(params), options);
}

const AdamState* Adam::state(const Tensor& p) const {
    auto it = state_.find(p.unsafe_impl());
    return it == state_.end() ? nullptr : &it->second;
}

void Adam::step() {
    const char* name = decoupled_weight_decay_ ? "AdamW" : "Adam";
    for (auto& group : groups_) {
        for (Tensor& p : group.params) {
            const Tensor grad = contiguous_grad(p, name);
            if (!grad.defined()) continue;
            if (!p.is_contiguous())
                throw std::invalid_argument(std::string(name) + ": parameters must be contiguous");
            auto [it, inserted] = state_.try_emplace(p.unsafe_impl());
            AdamState& s = it->second;
            if (inserted) {
                s.exp_avg = Tensor::zeros(p.shape(), p.dtype());
                s.exp_avg_sq = Tensor::zeros(p.shape(), p.dtype());
                if (group.options.amsgrad) s.max_exp_avg_sq = Tensor::zeros(p.shape(), p.dtype());
            }
            dispatch_floating(p.dtype(), name, [&](auto zero) {
                using T = decltype(zero);
                adam_update<T>(p.data_ptr<T>(), grad.data_ptr<T>(), s, p.numel(), group.options,
                               decoupled_weight_decay_);
            });
        }
    }
}

} // namespace nnscope::optim
