// Comparisons (bool results, not differentiable) and where(), which picks between two tensors
// by a mask and is differentiable in both.

#include "engine/autograd/node.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/reduce.h"
#include "engine/ops/strided.h"

#include <cstring>
#include <stdexcept>

namespace nnscope {

using autograd::Node;
using autograd::SavedTensor;
using autograd::TensorList;

namespace {

Tensor as_type(const Tensor& t, DType dtype) {
    return t.dtype() == dtype ? t.detach() : t.detach().to(dtype);
}

Tensor compare_op(const Tensor& a, const Tensor& b, const char* name, bool (*op)(double, double)) {
    const Shape shape = broadcast_shapes(a.shape(), b.shape());
    Tensor out = Tensor::empty(shape, DType::Bool);
    const Shape sa = detail::broadcast_strides(a, shape);
    const Shape sb = detail::broadcast_strides(b, shape);
    const Shape so = out.strides();
    auto* po = reinterpret_cast<std::uint8_t*>(out.storage()->data());
    const std::byte* ba = a.storage()->data();
    const std::byte* bb = b.storage()->data();
    (void)name;
    detail::parallel_for_each_strided<3>(
        shape, {so.data(), sa.data(), sb.data()}, {0, a.offset(), b.offset()}, detail::kCheapGrain,
        [&](const auto& off) {
            po[off[0]] = op(detail::load_as<double>(ba, a.dtype(), off[1]),
                            detail::load_as<double>(bb, b.dtype(), off[2]));
        });
    return out;
}

class WhereBackward final : public Node {
public:
    WhereBackward(const Tensor& cond, Shape a, Shape b)
        : cond_(cond)
        , a_(std::move(a))
        , b_(std::move(b)) {}
    TensorList apply(TensorList&& g) override {
        TensorList out(3);
        const Tensor zero = Tensor::scalar(0.0, g[0].dtype());
        if (needs_input_grad(1)) out[1] = sum_to(where(cond_.get(), g[0], zero), a_);
        if (needs_input_grad(2)) out[2] = sum_to(where(cond_.get(), zero, g[0]), b_);
        return out;
    }
    void release_variables() override { cond_.release(); }
    std::string name() const override { return "WhereBackward0"; }

private:
    SavedTensor cond_;
    Shape a_, b_;
};

} // namespace

Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
    if (condition.dtype() != DType::Bool && condition.dtype() != DType::UInt8)
        throw std::invalid_argument("where expected condition to be a boolean tensor, but got a "
                                    "tensor with dtype " +
                                    std::string(dtype_name(condition.dtype())));
    const DType type = result_type(a, b);
    const Shape shape = broadcast_shapes(condition.shape(), broadcast_shapes(a.shape(), b.shape()));
    Tensor ca = as_type(a, type), cb = as_type(b, type);
    Tensor out = Tensor::empty(shape, type);
    const Shape sc = detail::broadcast_strides(condition, shape);
    const Shape sa = detail::broadcast_strides(ca, shape);
    const Shape sb = detail::broadcast_strides(cb, shape);
    const Shape so = out.strides();
    const std::size_t size = element_size(type);
    const auto* pc = reinterpret_cast<const std::uint8_t*>(condition.storage()->data());
    const std::byte* pa = ca.storage()->data();
    const std::byte* pb = cb.storage()->data();
    std::byte* po = out.storage()->data();
    detail::parallel_for_each_strided<4>(shape, {so.data(), sc.data(), sa.data(), sb.data()},
                                         {0, condition.offset(), ca.offset(), cb.offset()},
                                         detail::kCheapGrain, [&](const auto& off) {
                                             const std::byte* src = pc[off[1]] ? pa + off[2] * size
                                                                               : pb + off[3] * size;
                                             std::memcpy(po + off[0] * size, src, size);
                                         });
    if (autograd::any_requires_grad({&a, &b}))
        autograd::set_history(std::make_shared<WhereBackward>(condition, a.shape(), b.shape()),
                              {nullptr, &a, &b}, out);
    return out;
}

// --- comparisons ------------------------------------------------------------------------------

Tensor eq(const Tensor& a, const Tensor& b) {
    return compare_op(a, b, "eq", [](double x, double y) { return x == y; });
}
Tensor ne(const Tensor& a, const Tensor& b) {
    return compare_op(a, b, "ne", [](double x, double y) { return x != y; });
}
Tensor lt(const Tensor& a, const Tensor& b) {
    return compare_op(a, b, "lt", [](double x, double y) { return x < y; });
}
Tensor le(const Tensor& a, const Tensor& b) {
    return compare_op(a, b, "le", [](double x, double y) { return x <= y; });
}
Tensor gt(const Tensor& a, const Tensor& b) {
    return compare_op(a, b, "gt", [](double x, double y) { return x > y; });
}
Tensor ge(const Tensor& a, const Tensor& b) {
    return compare_op(a, b, "ge", [](double x, double y) { return x >= y; });
}
Tensor isnan(const Tensor& a) {
    return ne(a, a);
}

} // namespace nnscope
