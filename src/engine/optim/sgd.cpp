#include "engine/optim/sgd.h"

#include "engine/nn/value.h"
#include "engine/optim/update_pieces.h"

#include <Eigen/Core>

namespace nnscope::optim {

namespace {

// One parameter's update. Each operation rounds to T as PyTorch's separate in-place kernels
// do; alphas are cast to T first, as PyTorch casts Scalars to the tensor's type.
template <class T>
void sgd_update(T* param, const T* grad, T* buf, bool first, std::int64_t n, const SGDOptions& o) {
    using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
    Eigen::Map<Array> p(param, n);
    Eigen::Map<const Array> g(grad, n);
    const T neg_lr = static_cast<T>(-o.lr);
    const T wd = static_cast<T>(o.weight_decay);
    const T momentum = static_cast<T>(o.momentum);
    const T keep = static_cast<T>(1 - o.dampening);

    // The hot paths without a temporary.
    if (o.weight_decay == 0 && !o.maximize && !o.nesterov) {
        if (o.momentum == 0) {
            p += neg_lr * g;
            return;
        }
        // One pass over the three arrays instead of two (the same arithmetic): the update is
        // memory-bound once the parameters outgrow the cache, as an mlp's do.
        if (first) {
            for (std::int64_t k = 0; k < n; ++k) {
                buf[k] = grad[k];
                param[k] = param[k] + neg_lr * grad[k];
            }
            return;
        }
        for (std::int64_t k = 0; k < n; ++k) {
            const T b = buf[k] * momentum + keep * grad[k];
            buf[k] = b;
            param[k] = param[k] + neg_lr * b;
        }
        return;
    }

    Array d_p = o.maximize ? Array(-g) : Array(g);
    if (o.weight_decay != 0) d_p = d_p + wd * p;
    if (o.momentum != 0) {
        Eigen::Map<Array> b(buf, n);
        if (first)
            b = d_p;
        else
            b = b * momentum + keep * d_p;
        if (o.nesterov)
            d_p = d_p + momentum * b;
        else
            d_p = b;
    }
    p += neg_lr * d_p;
}

// Parameters per parallel piece: the update is a few flops per element over three arrays.
constexpr std::int64_t kUpdateGrain = 32768;

std::string num(double x) {
    return nn::python_float_repr(x);
}

} // namespace

void validate(const SGDOptions& o) {
    if (o.lr < 0.0) throw std::invalid_argument("Invalid learning rate: " + num(o.lr));
    if (o.momentum < 0.0) throw std::invalid_argument("Invalid momentum value: " + num(o.momentum));
    if (o.weight_decay < 0.0)
        throw std::invalid_argument("Invalid weight_decay value: " + num(o.weight_decay));
    if (o.nesterov && (o.momentum <= 0 || o.dampening != 0))
        throw std::invalid_argument("Nesterov momentum requires a momentum and zero dampening");
}

SGD::SGD(std::vector<Tensor> params, const SGDOptions& options) {
    validate(options);
    add_param_group(std::move(params), options);
}

Tensor SGD::momentum_buffer(const Tensor& p) const {
    auto it = momentum_buffers_.find(p.unsafe_impl());
    return it == momentum_buffers_.end() ? Tensor() : it->second;
}

void SGD::step() {
    for (auto& group : groups_) {
        for (Tensor& p : group.params) {
            const Tensor grad = contiguous_grad(p, "SGD");
            if (!grad.defined()) continue;
            if (!p.is_contiguous())
                throw std::invalid_argument("SGD: parameters must be contiguous");
            Tensor* buf = nullptr;
            bool first = false;
            if (group.options.momentum != 0) {
                auto [it, inserted] = momentum_buffers_.try_emplace(p.unsafe_impl());
                if (inserted) it->second = Tensor::empty(p.shape(), p.dtype());
                buf = &it->second;
                first = inserted;
            }
            dispatch_floating(p.dtype(), "SGD.step", [&](auto zero) {
                using T = decltype(zero);
                T* param = p.data_ptr<T>();
                const T* g = grad.data_ptr<T>();
                T* b = buf ? buf->data_ptr<T>() : nullptr;
                // Elementwise, cut where a serial update would not change paths.
                detail::for_update_pieces(
                    p.numel(), kUpdateGrain, {param, b}, [&](std::int64_t begin, std::int64_t end) {
                        sgd_update<T>(param + begin, g + begin, b ? b + begin : nullptr, first,
                                      end - begin, group.options);
                    });
            });
        }
    }
}

} // namespace nnscope::optim
