// gather and scatter_add: element-wise indexing along one dim through strided walks, each the
// other's backward. Indices are never differentiated.

#include "engine/autograd/node.h"
#include "engine/ops/index.h"
#include "engine/ops/index_common.h"
#include "engine/ops/strided.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>
#include <string>

namespace nnscope {

namespace {

using autograd::TensorList;
using detail::size_at;
using detail::stride_at;

std::int64_t nonempty_dim(const Tensor& t) {
    return std::max<std::int64_t>(t.dim(), 1);
}

// PyTorch's gather_shape_check / scatter_shape_check (ScatterGatherChecks.h), skipped for an
// empty index as PyTorch does: the same number of dims as self (a 0-dim tensor counting as
// 1-dim), and index no larger than self apart from dim (and, for scatter, no larger than src,
// whose missing dims fail as PyTorch's src.size(d) does).
void check_gather_shapes(const Tensor& self, std::int64_t dim, const Tensor& index,
                         const Tensor* src) {
    if (index.numel() == 0) return;
    const std::int64_t ndim = nonempty_dim(self);
    if (ndim != nonempty_dim(index))
        throw std::invalid_argument(std::string("Index tensor must have the same number of "
                                                "dimensions as ") +
                                    (src ? "self" : "input") + " tensor");
    const std::string expectation = "index " + shape_to_string(index.shape()) +
                                    " to be smaller than self " + shape_to_string(self.shape()) +
                                    " apart from dimension " + std::to_string(dim);
    bool wrong = false;
    for (std::int64_t d = 0; d < ndim && !wrong; ++d) {
        wrong = d != dim && size_at(index, d) > size_at(self, d);
        if (wrong && !src)
            throw std::invalid_argument("Size does not match at dimension " + std::to_string(d) +
                                        " expected " + expectation);
    }
    for (std::int64_t d = 0; src && d < ndim && !wrong; ++d) {
        if (src->dim() > 0) wrap_dim(d, src->dim(), nullptr);
        wrong = size_at(index, d) > size_at(*src, d);
    }
    if (wrong)
        throw std::invalid_argument("Expected " + expectation +
                                    " and to be smaller size than src " +
                                    shape_to_string(src->shape()));
}

// Throws for the out-of-range value PyTorch's CPU kernel meets first. Its TensorIterator walks
// index without `dim`, coalescing the innermost dims whose strides line up in every operand
// (`a` and `b`, index's own); unless dim is the last one, each call of its inner loop runs over
// dim outside that innermost run. So the run's dims come after dim in the visiting order.
[[noreturn]] void throw_first_out_of_bounds(const Tensor& index, std::int64_t dim,
                                            const Shape& a_strides, const Shape& b_strides,
                                            std::int64_t size) {
    const std::int64_t ndim = nonempty_dim(index);
    Shape order;
    if (dim == ndim - 1 || index.dim() == 0) {
        for (std::int64_t d = 0; d < ndim; ++d)
            order.push_back(d);
    } else {
        auto shape = [&](std::int64_t d) { return d == dim ? 1 : index.shape()[d]; };
        const std::array<const Shape*, 3> strides{&a_strides, &b_strides, &index.strides()};
        // The innermost coalesced run starts at dim `first`.
        std::int64_t first = ndim - 1, run_size = shape(first), run_dim = first;
        for (std::int64_t d = ndim - 2; d >= 0; --d) {
            bool joins = run_size == 1 || shape(d) == 1;
            if (!joins) {
                joins = true;
                for (const Shape* st : strides)
                    joins = joins && run_size * (*st)[run_dim] == (*st)[d];
            }
            if (!joins) break;
            if (run_size == 1) run_dim = d;
            run_size *= shape(d);
            first = d;
        }
        for (std::int64_t d = 0; d < first; ++d)
            if (d != dim) order.push_back(d);
        order.push_back(dim);
        for (std::int64_t d = first; d < ndim; ++d)
            if (d != dim) order.push_back(d);
    }
    const Tensor visited = index.dim() == 0 ? index : index.permute(order);
    // A RuntimeError in PyTorch, unlike index_select's IndexError.
    for (std::int64_t i : visited.to_int64_vector())
        if (i < 0 || i >= size)
            throw std::invalid_argument(detail::bounds_message(nullptr, i, dim, size));
    throw std::logic_error("throw_first_out_of_bounds: no index out of bounds");
}

// Walks every element of `index` with the offsets of index, a (read) and b, where b's stride
// along dim is 0: fn(index value, offset in a, offset in b). An out-of-range value throws
// PyTorch's message for the value PyTorch meets first.
template <class Fn>
void walk_index(const Tensor& index, std::int64_t dim, const Tensor& a, const Tensor& b,
                std::int64_t b_dim_size, Fn&& fn) {
    // A 0-dim operand beside a 1-dim index has one element: stride 0 walks it.
    auto strides_of = [&](const Tensor& t) {
        return t.dim() == index.dim() ? t.strides() : Shape(index.strides().size(), 0);
    };
    const Shape a_strides = strides_of(a);
    Shape b_strides = strides_of(b);
    if (!b_strides.empty()) b_strides[static_cast<std::size_t>(dim)] = 0;
    const std::int64_t b_dim_stride = stride_at(b, dim);
    const std::int64_t* idx = reinterpret_cast<const std::int64_t*>(index.storage()->data());
    bool out_of_bounds = false;
    detail::for_each_strided<3>(index.shape(),
                                {index.strides().data(), a_strides.data(), b_strides.data()},
                                {index.offset(), a.offset(), b.offset()}, [&](const auto& o) {
                                    const std::int64_t i = idx[o[0]];
                                    if (i < 0 || i >= b_dim_size) {
                                        out_of_bounds = true;
                                        return;
                                    }
                                    fn(o[1], o[2] + i * b_dim_stride);
                                });
    if (!out_of_bounds) return;
    throw_first_out_of_bounds(index, dim, a_strides,
                              b.dim() == index.dim() ? b.strides() : b_strides, b_dim_size);
}

class GatherBackward final : public autograd::Node {
public:
    GatherBackward(Shape shape, std::int64_t dim, const Tensor& index)
        : shape_(std::move(shape))
        , dim_(dim)
        , index_(index) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined()) return {Tensor(), Tensor()};
        return {scatter_add(Tensor::zeros(shape_, grads[0].dtype()), dim_, index_.get(), grads[0]),
                Tensor()};
    }
    std::string name() const override { return "GatherBackward0"; }
    void release_variables() override { index_.release(); }

private:
    Shape shape_;
    std::int64_t dim_;
    autograd::SavedTensor index_;
};

class ScatterAddBackward final : public autograd::Node {
public:
    ScatterAddBackward(std::int64_t dim, const Tensor& index, Shape src_shape)
        : dim_(dim)
        , index_(index)
        , src_shape_(std::move(src_shape)) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined()) return {Tensor(), Tensor(), Tensor()};
        Tensor grad_src;
        if (needs_input_grad(2)) {
            const Tensor& index = index_.get();
            grad_src = gather(grads[0], dim_, index);
            // src may be larger than index: its other elements took no part.
            if (grad_src.shape() != src_shape_) {
                Tensor padded = Tensor::zeros(src_shape_, grads[0].dtype());
                Tensor corner = padded;
                for (std::int64_t d = 0; d < index.dim(); ++d)
                    corner = corner.narrow(d, 0, index.shape()[static_cast<std::size_t>(d)]);
                corner.copy_(grad_src);
                grad_src = padded;
            }
        }
        return {needs_input_grad(0) ? grads[0] : Tensor(), Tensor(), grad_src};
    }
    std::string name() const override { return "ScatterAddBackward0"; }
    void release_variables() override { index_.release(); }

private:
    std::int64_t dim_;
    autograd::SavedTensor index_;
    Shape src_shape_;
};

} // namespace

Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index) {
    const std::int64_t d = wrap_dim(dim, x.dim(), nullptr);
    detail::check_index_dtype(index, "gather()", false);
    check_gather_shapes(x, d, index, nullptr);
    Tensor out = Tensor::empty(index.shape(), x.dtype());
    const std::size_t item = element_size(x.dtype());
    auto* dst = out.storage()->data();
    const auto* src = x.storage()->data();
    walk_index(index, d, out, x, size_at(x, d), [&](std::int64_t o, std::int64_t s) {
        std::memcpy(dst + o * item, src + s * item, item);
    });
    if (autograd::any_requires_grad({&x}))
        autograd::set_history(std::make_shared<GatherBackward>(x.shape(), d, index), {&x, &index},
                              out);
    return out;
}

Tensor scatter_add(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& src) {
    const std::int64_t d = wrap_dim(dim, x.dim(), nullptr);
    detail::check_index_dtype(index, "scatter()", false);
    if (x.dtype() != src.dtype())
        throw std::invalid_argument("scatter(): Expected self.dtype to be equal to src.dtype");
    check_gather_shapes(x, d, index, &src);
    Tensor out = Tensor::empty(x.shape(), x.dtype());
    out.copy_(x);
    dispatch_all(x.dtype(), "scatter_add", [&](auto tag) {
        using T = decltype(tag);
        auto* dst = reinterpret_cast<T*>(out.storage()->data());
        const auto* from = reinterpret_cast<const T*>(src.storage()->data());
        walk_index(index, d, src, out, size_at(x, d), [&](std::int64_t s, std::int64_t o) {
            dst[o] = static_cast<T>(dst[o] + from[s]);
        });
    });
    if (autograd::any_requires_grad({&x, &src}))
        autograd::set_history(std::make_shared<ScatterAddBackward>(d, index, src.shape()),
                              {&x, &index, &src}, out);
    return out;
}

} // namespace nnscope
