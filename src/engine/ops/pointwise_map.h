#pragma once
// Internal: the shape every pointwise activation shares. map_typed / map_floating apply a
// function elementwise into a fresh contiguous tensor, record_pointwise records a backward
// grad_in[i] = f(grad[i], saved[i]) on one saved tensor (the input or the result).

#include "engine/autograd/node.h"
#include "engine/ops/strided.h"
#include "engine/parallel.h"
#include "engine/tensor.h"

#include <memory>

namespace nnscope::detail {

// out[i] = f(x[i]) into a fresh contiguous tensor of dtype Out; T is x's element type. Elements
// are independent: the team splits the range in pieces of at least `grain`.
template <class T, class Out, class Fn>
Tensor map_typed(const Tensor& x, DType out_dtype, std::int64_t grain, Fn f) {
    Tensor out = Tensor::empty(x.shape(), out_dtype);
    Out* dst = out.data_ptr<Out>();
    if (x.is_contiguous()) {
        const T* src = x.data_ptr<T>();
        parallel::parallel_for(x.numel(), grain, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t i = begin; i < end; ++i)
                dst[i] = f(src[i]);
        });
    } else {
        const T* base = reinterpret_cast<const T*>(x.storage()->data());
        const Shape out_strides = contiguous_strides(x.shape());
        parallel_for_each_strided<2>(x.shape(), {x.strides().data(), out_strides.data()},
                                     {x.offset(), 0}, grain,
                                     [&](const auto& o) { dst[o[1]] = f(base[o[0]]); });
    }
    return out;
}

// A floating op applied elementwise; integer inputs are computed in float32, as PyTorch's
// sigmoid and tanh promote them.
template <class Fn> Tensor map_floating(const Tensor& x, const char* op, bool promote, Fn f) {
    if (promote && !x.is_floating_point() && x.dtype() != DType::Float16 &&
        x.dtype() != DType::BFloat16)
        return map_floating(x.to(DType::Float32), op, false, f);
    return dispatch_floating(x.dtype(), op, [&](auto tag) {
        using T = decltype(tag);
        // Every floating activation here is transcendental (exp, tanh, erf).
        return map_typed<T, T>(x, x.dtype(), kHeavyGrain, [&](T v) { return f(v); });
    });
}

// True when nothing but `t` itself can see its elements: no other handle on its TensorImpl
// (hooks, retained or accumulated gradients, other graph edges) and none on its storage.
inline bool sole_owner(const Tensor& t) {
    return t.impl_ptr().use_count() == 1 && t.storage().use_count() == 1;
}

// grad_in[i] = f(grad[i], saved[i]): the shape of every pointwise backward. An incoming gradient
// that nobody else can see is overwritten in place: it is dead after this node, and reusing it
// spares a fresh buffer (whose first write would fetch every cache line from memory).
template <class Fn>
Tensor map_backward(Tensor grad, const Tensor& saved, const char* op, std::int64_t grain, Fn f) {
    const Tensor g = grad.contiguous();
    grad = Tensor(); // g alone holds the gradient now
    const Tensor s = saved.contiguous();
    if (g.dtype() == s.dtype() && g.shape() == s.shape() && sole_owner(g)) {
        dispatch_floating(s.dtype(), op, [&](auto tag) {
            using T = decltype(tag);
            T* gp = g.data_ptr<T>();
            const T* sp = s.data_ptr<T>();
            parallel::parallel_for(s.numel(), grain, [&](std::int64_t begin, std::int64_t end) {
                for (std::int64_t i = begin; i < end; ++i)
                    gp[i] = f(gp[i], sp[i]);
            });
        });
        return g;
    }
    Tensor out = Tensor::empty(s.shape(), s.dtype());
    dispatch_floating(s.dtype(), op, [&](auto tag) {
        using T = decltype(tag);
        const T* gp = g.data_ptr<T>();
        const T* sp = s.data_ptr<T>();
        T* dst = out.data_ptr<T>();
        parallel::parallel_for(s.numel(), grain, [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t i = begin; i < end; ++i)
                dst[i] = f(gp[i], sp[i]);
        });
    });
    return out;
}

// A pointwise backward that needs one saved tensor (the input or the result).
template <class Fn> class PointwiseBackward final : public autograd::Node {
public:
    PointwiseBackward(const char* name, const Tensor& saved, std::int64_t grain, Fn f)
        : name_(name)
        , saved_(saved)
        , grain_(grain)
        , f_(f) {}
    autograd::TensorList apply(autograd::TensorList&& grads) override {
        if (!grads[0].defined() || !needs_input_grad(0)) return {Tensor()};
        return {map_backward(std::move(grads[0]), saved_.get(), name_, grain_, f_)};
    }
    std::string name() const override { return name_; }
    void release_variables() override { saved_.release(); }

private:
    const char* name_;
    autograd::SavedTensor saved_;
    std::int64_t grain_;
    Fn f_;
};

template <class Fn>
void record_pointwise(const Tensor& x, Tensor& out, const char* name, const Tensor& saved, Fn f,
                      std::int64_t grain = kCheapGrain) {
    if (!autograd::any_requires_grad({&x})) return;
    auto node = std::make_shared<PointwiseBackward<Fn>>(name, saved, grain, f);
    autograd::set_history(node, {&x}, out);
}

} // namespace nnscope::detail
