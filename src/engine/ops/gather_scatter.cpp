// gather and scatter_add: element-wise indexing along one dim through strided walks, each the
// other's backward. Indices are never differentiated.

#include "engine/autograd/node.h"
#include "engine/ops/index.h"
#include "engine/ops/index_common.h"
#include "engine/ops/strided.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace nnscope {

namespace {

using autograd::TensorList;
using detail::check_bound;
using detail::size_at;
using detail::stride_at;

// Checks gather/scatter_add index shapes as PyTorch's scatter_gather_dtype_check family.
void check_gather_shapes(const char* op, const Tensor& self, std::int64_t dim, const Tensor& index,
                         const Tensor* src) {
    if (index.dim() != self.dim() && !(index.numel() == 0 && index.dim() <= 1))
        throw std::invalid_argument(std::string(op) +
                                    ": Index tensor must have the same number of dimensions as "
                                    "input tensor (index " +
                                    shape_to_string(index.shape()) + ", input " +
                                    shape_to_string(self.shape()) + ")");
    if (src && index.dim() != src->dim() && index.numel() != 0)
        throw std::invalid_argument(std::string(op) +
                                    ": Index tensor must have the same number of dimensions as "
                                    "src tensor (index " +
                                    shape_to_string(index.shape()) + ", src " +
                                    shape_to_string(src->shape()) + ")");
    if (index.numel() == 0) return;
    for (std::int64_t d = 0; d < index.dim(); ++d) {
        const std::int64_t n = index.shape()[static_cast<std::size_t>(d)];
        const bool over_self = d != dim && n > self.shape()[static_cast<std::size_t>(d)];
        const bool over_src = src && n > src->shape()[static_cast<std::size_t>(d)];
        if (!over_self && !over_src) continue;
        const std::string expectation =
            "index " + shape_to_string(index.shape()) + " to be smaller than self " +
            shape_to_string(self.shape()) + " apart from dimension " + std::to_string(dim);
        if (src)
            throw std::invalid_argument(std::string(op) + ": Expected " + expectation +
                                        " and to be smaller size than src " +
                                        shape_to_string(src->shape()));
        throw std::invalid_argument(std::string(op) + ": Size does not match at dimension " +
                                    std::to_string(d) + " expected " + expectation);
    }
}

// Walks every element of `index` with the offsets of index, a (read) and b, where b's stride
// along dim is 0: fn(index value, offset in a, offset in b).
template <class Fn>
void walk_index(const char* op, const Tensor& index, std::int64_t dim, const Tensor& a,
                const Tensor& b, std::int64_t b_dim_size, Fn&& fn) {
    Shape b_strides = b.strides();
    if (!b_strides.empty()) b_strides[static_cast<std::size_t>(dim)] = 0;
    const std::int64_t b_dim_stride = stride_at(b, dim);
    const std::int64_t* idx = reinterpret_cast<const std::int64_t*>(index.storage()->data());
    detail::for_each_strided<3>(index.shape(),
                                {index.strides().data(), a.strides().data(), b_strides.data()},
                                {index.offset(), a.offset(), b.offset()}, [&](const auto& o) {
                                    const std::int64_t i = idx[o[0]];
                                    check_bound(op, i, dim, b_dim_size);
                                    fn(o[1], o[2] + i * b_dim_stride);
                                });
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
    if (index.dtype() != DType::Int64)
        throw std::invalid_argument("gather(): Expected dtype int64 for index, got " +
                                    std::string(dtype_name(index.dtype())));
    const std::int64_t d = wrap_dim(dim, x.dim(), "gather");
    check_gather_shapes("gather()", x, d, index, nullptr);
    Tensor out = Tensor::empty(index.shape(), x.dtype());
    const std::size_t item = element_size(x.dtype());
    auto* dst = out.storage()->data();
    const auto* src = x.storage()->data();
    walk_index("gather()", index, d, out, x, size_at(x, d), [&](std::int64_t o, std::int64_t s) {
        std::memcpy(dst + o * item, src + s * item, item);
    });
    if (autograd::any_requires_grad({&x}))
        autograd::set_history(std::make_shared<GatherBackward>(x.shape(), d, index), {&x, &index},
                              out);
    return out;
}

Tensor scatter_add(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& src) {
    if (index.dtype() != DType::Int64)
        throw std::invalid_argument("scatter_add(): Expected dtype int64 for index, got " +
                                    std::string(dtype_name(index.dtype())));
    if (x.dtype() != src.dtype())
        throw std::invalid_argument("scatter_add(): Expected self.dtype to be equal to src.dtype "
                                    "(got " +
                                    std::string(dtype_name(x.dtype())) + " and " +
                                    std::string(dtype_name(src.dtype())) + ")");
    const std::int64_t d = wrap_dim(dim, x.dim(), "scatter_add");
    check_gather_shapes("scatter_add()", x, d, index, &src);
    Tensor out = Tensor::empty(x.shape(), x.dtype());
    out.copy_(x);
    dispatch_all(x.dtype(), "scatter_add", [&](auto tag) {
        using T = decltype(tag);
        auto* dst = reinterpret_cast<T*>(out.storage()->data());
        const auto* from = reinterpret_cast<const T*>(src.storage()->data());
        walk_index(
            "scatter_add()", index, d, src, out, size_at(x, d),
            [&](std::int64_t s, std::int64_t o) { dst[o] = static_cast<T>(dst[o] + from[s]); });
    });
    if (autograd::any_requires_grad({&x, &src}))
        autograd::set_history(std::make_shared<ScatterAddBackward>(d, index, src.shape()),
                              {&x, &index, &src}, out);
    return out;
}

} // namespace nnscope
