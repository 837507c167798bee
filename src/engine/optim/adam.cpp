#include "engine/optim/adam.h"

#include "engine/nn/value.h"
#include "engine/optim/update_pieces.h"

#include <Eigen/Core>
#include <cmath>

namespace nnscope::optim {

namespace {

// The update of elements [begin, begin + n) of one parameter at step `step`, each operation
// rounding to T as PyTorch's in-place kernels do. Elementwise; update_pieces.h says where
// the team may cut it.
template <class T>
void adam_update(T* param, const T* grad, AdamState& s, std::int64_t begin, std::int64_t n,
                 const AdamOptions& o, bool decoupled, double step) {
    using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
    Eigen::Map<Array> p(param + begin, n);
    Eigen::Map<const Array> g_raw(grad + begin, n);
    Eigen::Map<Array> exp_avg(s.exp_avg.data_ptr<T>() + begin, n);
    Eigen::Map<Array> exp_avg_sq(s.exp_avg_sq.data_ptr<T>() + begin, n);

    Array g = o.maximize ? Array(-g_raw) : Array(g_raw);
    if (decoupled)
        p = p * static_cast<T>(1 - o.lr * o.weight_decay);
    else if (o.weight_decay != 0)
        g = g + static_cast<T>(o.weight_decay) * p;

    exp_avg = exp_avg * static_cast<T>(o.beta1) + static_cast<T>(1 - o.beta1) * g;
    exp_avg_sq = exp_avg_sq * static_cast<T>(o.beta2) + static_cast<T>(1 - o.beta2) * g * g;

    const double bias_correction1 = 1 - std::pow(o.beta1, step);
    const double bias_correction2 = 1 - std::pow(o.beta2, step);
    const double step_size = o.lr / bias_correction1;
    const T bias_correction2_sqrt = static_cast<T>(std::sqrt(bias_correction2));
    const T eps = static_cast<T>(o.eps);
    const T neg_step_size = static_cast<T>(-step_size);
    if (o.amsgrad) {
        Eigen::Map<Array> max_sq(s.max_exp_avg_sq.data_ptr<T>() + begin, n);
        max_sq = max_sq.max(exp_avg_sq);
        p = p + neg_step_size * exp_avg / (max_sq.sqrt() / bias_correction2_sqrt + eps);
    } else {
        p = p + neg_step_size * exp_avg / (exp_avg_sq.sqrt() / bias_correction2_sqrt + eps);
    }
}

// Parameters per parallel piece (a dozen flops and four arrays per element).
constexpr std::int64_t kUpdateGrain = 16384;

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
            s.step += 1;
            dispatch_floating(p.dtype(), name, [&](auto zero) {
                using T = decltype(zero);
                T* param = p.data_ptr<T>();
                const T* g = grad.data_ptr<T>();
                detail::for_update_pieces(
                    p.numel(), kUpdateGrain,
                    {param, s.exp_avg.raw_data(), s.exp_avg_sq.raw_data(),
                     s.max_exp_avg_sq.defined() ? s.max_exp_avg_sq.raw_data() : nullptr},
                    [&](std::int64_t begin, std::int64_t end) {
                        adam_update<T>(param, g, s, begin, end - begin, group.options,
                                       decoupled_weight_decay_, s.step);
                    });
            });
        }
    }
}

} // namespace nnscope::optim
