#include "engine/tensor.h"

#include "engine/autograd/accumulate_grad.h"
#include "engine/autograd/grad_mode.h"
#include "engine/autograd/node.h"
#include "engine/half.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/strided.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace nnscope {

// --- shape helpers ------------------------------------------------------------------------

std::int64_t shape_numel(const Shape& shape) {
    std::int64_t n = 1;
    for (std::int64_t extent : shape) {
        if (extent < 0)
            // PyTorch's wording (torch.empty, and so nn.Linear(-1, 3)).
            throw std::invalid_argument("Trying to create tensor with negative dimension " +
                                        std::to_string(extent) + ": " + shape_to_string(shape));
        if (extent != 0 && n > std::numeric_limits<std::int64_t>::max() / extent)
            throw std::invalid_argument("shape " + shape_to_string(shape) + " is too large");
        n *= extent;
    }
    return n;
}

Shape contiguous_strides(const Shape& shape) {
    Shape strides(shape.size());
    std::int64_t stride = 1;
    for (std::size_t i = shape.size(); i-- > 0;) {
        strides[i] = stride;
        stride *= std::max<std::int64_t>(shape[i], 1);
    }
    return strides;
}

std::string shape_to_string(const Shape& shape) {
    std::string out = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) out += ", ";
        out += std::to_string(shape[i]);
    }
    return out + "]";
}

std::int64_t wrap_dim(std::int64_t dim, std::int64_t ndim, const char* op) {
    const std::int64_t lo = ndim == 0 ? -1 : -ndim;
    const std::int64_t hi = ndim == 0 ? 0 : ndim - 1;
    if (dim < lo || dim > hi) {
        const std::string range = " out of range (expected to be in range of [" +
                                  std::to_string(lo) + ", " + std::to_string(hi) + "], but got " +
                                  std::to_string(dim) + ")";
        throw std::out_of_range(op ? std::string(op) + ": dimension" + range : "Dimension" + range);
    }
    return dim < 0 ? dim + std::max<std::int64_t>(ndim, 1) : dim;
}

namespace detail {

Shape broadcast_strides(const Tensor& t, const Shape& shape) {
    const std::size_t ndim = shape.size();
    const std::size_t tdim = t.shape().size();
    if (tdim > ndim)
        throw std::invalid_argument("cannot broadcast shape " + shape_to_string(t.shape()) +
                                    " to " + shape_to_string(shape));
    Shape strides(ndim, 0);
    for (std::size_t i = 0; i < tdim; ++i) {
        const std::size_t d = ndim - tdim + i;
        if (t.shape()[i] == shape[d])
            strides[d] = t.shape()[i] == 1 ? 0 : t.strides()[i];
        else if (t.shape()[i] != 1)
            throw std::invalid_argument(
                "the expanded size of the tensor (" + std::to_string(shape[d]) +
                ") must match the existing size (" + std::to_string(t.shape()[i]) +
                ") at dimension " + std::to_string(d) + ": cannot broadcast " +
                shape_to_string(t.shape()) + " to " + shape_to_string(shape));
    }
    return strides;
}

template <class T> T load_as(const std::byte* base, DType dtype, std::int64_t offset) {
    switch (dtype) {
    case DType::Float32:
        return static_cast<T>(reinterpret_cast<const float*>(base)[offset]);
    case DType::Float64:
        return static_cast<T>(reinterpret_cast<const double*>(base)[offset]);
    case DType::Float16:
        return static_cast<T>(half_to_float(reinterpret_cast<const std::uint16_t*>(base)[offset]));
    case DType::BFloat16:
        return static_cast<T>(
            bfloat16_to_float(reinterpret_cast<const std::uint16_t*>(base)[offset]));
    case DType::Int64:
        return static_cast<T>(reinterpret_cast<const std::int64_t*>(base)[offset]);
    case DType::Int32:
        return static_cast<T>(reinterpret_cast<const std::int32_t*>(base)[offset]);
    case DType::Int16:
        return static_cast<T>(reinterpret_cast<const std::int16_t*>(base)[offset]);
    case DType::Int8:
        return static_cast<T>(reinterpret_cast<const std::int8_t*>(base)[offset]);
    case DType::UInt8:
        return static_cast<T>(reinterpret_cast<const std::uint8_t*>(base)[offset]);
    case DType::Bool:
        return static_cast<T>(reinterpret_cast<const std::uint8_t*>(base)[offset] != 0);
    }
    return T{};
}

template float load_as<float>(const std::byte*, DType, std::int64_t);
template double load_as<double>(const std::byte*, DType, std::int64_t);
template std::int64_t load_as<std::int64_t>(const std::byte*, DType, std::int64_t);

} // namespace detail

namespace {

// Stores a double into element `offset` of a buffer of `dtype`, converting as PyTorch's copy_
// does (truncation toward zero for integers, != 0 for bool).
void store_double(std::byte* base, DType dtype, std::int64_t offset, double value) {
    switch (dtype) {
    case DType::Float32:
        reinterpret_cast<float*>(base)[offset] = static_cast<float>(value);
        break;
    case DType::Float64:
        reinterpret_cast<double*>(base)[offset] = value;
        break;
    case DType::Float16:
        reinterpret_cast<std::uint16_t*>(base)[offset] = float_to_half(static_cast<float>(value));
        break;
    case DType::BFloat16:
        reinterpret_cast<std::uint16_t*>(base)[offset] =
            float_to_bfloat16(static_cast<float>(value));
        break;
    case DType::Int64:
        reinterpret_cast<std::int64_t*>(base)[offset] = static_cast<std::int64_t>(value);
        break;
    case DType::Int32:
        reinterpret_cast<std::int32_t*>(base)[offset] = static_cast<std::int32_t>(value);
        break;
    case DType::Int16:
        reinterpret_cast<std::int16_t*>(base)[offset] = static_cast<std::int16_t>(value);
        break;
    case DType::Int8:
        reinterpret_cast<std::int8_t*>(base)[offset] = static_cast<std::int8_t>(value);
        break;
    case DType::UInt8:
        reinterpret_cast<std::uint8_t*>(base)[offset] = static_cast<std::uint8_t>(value);
        break;
    case DType::Bool:
        reinterpret_cast<std::uint8_t*>(base)[offset] = value != 0.0;
        break;
    }
}

bool is_integral_64(DType dtype) {
    return dtype == DType::Int64;
}

// Copies src (broadcast to dst's shape) into dst, converting the dtype.
void copy_strided(const Tensor& dst, const Tensor& src) {
    const Shape src_strides = detail::broadcast_strides(src, dst.shape());
    std::byte* out = dst.storage()->data();
    const std::byte* in = src.storage()->data();
    const DType out_type = dst.dtype();
    const DType in_type = src.dtype();
    const std::size_t size = element_size(out_type);
    if (out_type == in_type) {
        detail::for_each_strided<2>(
            dst.shape(), {dst.strides().data(), src_strides.data()}, {dst.offset(), src.offset()},
            [&](const auto& o) { std::memcpy(out + o[0] * size, in + o[1] * size, size); });
        return;
    }
    if (is_integral_64(out_type) && is_integral_64(in_type)) return; // unreachable: same type
    detail::for_each_strided<2>(dst.shape(), {dst.strides().data(), src_strides.data()},
                                {dst.offset(), src.offset()}, [&](const auto& o) {
                                    if (out_type == DType::Int64 && !is_floating_point(in_type))
                                        reinterpret_cast<std::int64_t*>(out)[o[0]] =
                                            detail::load_as<std::int64_t>(in, in_type, o[1]);
                                    else
                                        store_double(out, out_type, o[0],
                                                     detail::load_as<double>(in, in_type, o[1]));
                                });
}

class ToDTypeBackward final : public autograd::Node {
public:
    explicit ToDTypeBackward(DType source)
        : source_(source) {}
    autograd::TensorList apply(autograd::TensorList&& grads) override {
        return {grads[0].defined() ? grads[0].to(source_) : Tensor()};
    }
    std::string name() const override { return "ToCopyBackward0"; }

private:
    DType source_;
};

class CloneBackward final : public autograd::Node {
public:
    autograd::TensorList apply(autograd::TensorList&& grads) override {
        return {std::move(grads[0])};
    }
    std::string name() const override { return "CloneBackward0"; }
};

} // namespace

// --- factories ----------------------------------------------------------------------------

Tensor Tensor::empty(const Shape& shape, DType dtype) {
    auto impl = std::make_shared<TensorImpl>();
    const std::int64_t n = shape_numel(shape);
    impl->storage = Storage::allocate(static_cast<std::size_t>(n) * element_size(dtype));
    impl->shape = shape;
    impl->strides = contiguous_strides(shape);
    impl->dtype = dtype;
    return Tensor(std::move(impl));
}

Tensor Tensor::zeros(const Shape& shape, DType dtype) {
    Tensor t = empty(shape, dtype);
    std::memset(t.storage()->data(), 0, t.storage()->nbytes());
    return t;
}

Tensor Tensor::ones(const Shape& shape, DType dtype) {
    return full(shape, 1.0, dtype);
}

Tensor Tensor::full(const Shape& shape, double value, DType dtype) {
    Tensor t = empty(shape, dtype);
    t.fill_(value);
    return t;
}

Tensor Tensor::scalar(double value, DType dtype) {
    return full({}, value, dtype);
}

Tensor Tensor::from_vector(const std::vector<double>& values, const Shape& shape, DType dtype) {
    if (static_cast<std::int64_t>(values.size()) != shape_numel(shape))
        throw std::invalid_argument("from_vector: " + std::to_string(values.size()) +
                                    " values for shape " + shape_to_string(shape));
    Tensor t = empty(shape, dtype);
    std::byte* base = t.storage()->data();
    for (std::size_t i = 0; i < values.size(); ++i)
        store_double(base, dtype, static_cast<std::int64_t>(i), values[i]);
    return t;
}

Tensor Tensor::from_int64(const std::vector<std::int64_t>& values, const Shape& shape) {
    if (static_cast<std::int64_t>(values.size()) != shape_numel(shape))
        throw std::invalid_argument("from_int64: " + std::to_string(values.size()) +
                                    " values for shape " + shape_to_string(shape));
    Tensor t = empty(shape, DType::Int64);
    std::copy(values.begin(), values.end(), t.data_ptr<std::int64_t>());
    return t;
}

Tensor Tensor::arange(std::int64_t end, DType dtype) {
    Tensor t = empty({end}, dtype);
    for (std::int64_t i = 0; i < end; ++i)
        store_double(t.storage()->data(), dtype, i, static_cast<double>(i));
    return t;
}

Tensor Tensor::zeros_like(const Tensor& other) {
    return zeros(other.shape(), other.dtype());
}
Tensor Tensor::empty_like(const Tensor& other) {
    return empty(other.shape(), other.dtype());
}

Tensor Tensor::from_storage(std::shared_ptr<Storage> storage, DType dtype, const Shape& shape,
                            const Shape& strides, std::int64_t offset) {
    if (!storage) throw std::invalid_argument("from_storage: no storage");
    if (strides.size() != shape.size())
        throw std::invalid_argument("from_storage: shape " + shape_to_string(shape) +
                                    " and strides " + shape_to_string(strides) +
                                    " differ in length");
    if (offset < 0) throw std::invalid_argument("from_storage: negative storage offset");
    const std::int64_t numel = shape_numel(shape);
    const std::int64_t capacity =
        static_cast<std::int64_t>(storage->nbytes() / element_size(dtype));
    if (numel > 0) {
        // The furthest element reached must lie inside the storage; no stride may be negative.
        std::int64_t last = offset;
        for (std::size_t i = 0; i < shape.size(); ++i) {
            if (strides[i] < 0) throw std::invalid_argument("from_storage: negative stride");
            const std::int64_t step = shape[i] - 1;
            if (step > 0 && strides[i] > (std::numeric_limits<std::int64_t>::max() - last) / step)
                throw std::invalid_argument("from_storage: strides overflow");
            last += step * strides[i];
        }
        if (last >= capacity)
            throw std::invalid_argument(
                "from_storage: a tensor of shape " + shape_to_string(shape) + " with strides " +
                shape_to_string(strides) + " at offset " + std::to_string(offset) + " needs " +
                std::to_string(last + 1) + " elements but the storage holds " +
                std::to_string(capacity));
    } else if (offset > capacity) {
        throw std::invalid_argument("from_storage: offset past the end of the storage");
    }
    auto impl = std::make_shared<TensorImpl>();
    impl->storage = std::move(storage);
    impl->shape = shape;
    impl->strides = strides;
    impl->offset = offset;
    impl->dtype = dtype;
    return Tensor(std::move(impl));
}

// --- metadata -----------------------------------------------------------------------------

TensorImpl& Tensor::impl() const {
    if (!impl_) throw std::logic_error("use of an undefined tensor");
    return *impl_;
}

std::int64_t Tensor::size(std::int64_t d) const {
    return shape()[wrap_dim(d, dim(), "size")];
}
std::int64_t Tensor::stride(std::int64_t d) const {
    return strides()[wrap_dim(d, dim(), "stride")];
}
std::int64_t Tensor::numel() const {
    return shape_numel(shape());
}

bool Tensor::is_contiguous() const {
    std::int64_t expected = 1;
    for (std::size_t i = shape().size(); i-- > 0;) {
        if (shape()[i] == 1) continue;
        if (shape()[i] == 0) return true;
        if (strides()[i] != expected) return false;
        expected *= shape()[i];
    }
    return true;
}

void* Tensor::raw_data() const {
    return storage()->data() + offset() * static_cast<std::int64_t>(element_size(dtype()));
}

// --- values -------------------------------------------------------------------------------

Tensor Tensor::contiguous() const {
    if (is_contiguous()) return *this;
    return clone();
}

Tensor Tensor::clone() const {
    Tensor out = empty(shape(), dtype());
    copy_strided(out, *this);
    if (autograd::any_requires_grad({this}))
        autograd::set_history(std::make_shared<CloneBackward>(), {this}, out);
    return out;
}

Tensor Tensor::to(DType target) const {
    if (target == dtype()) return *this;
    Tensor out = empty(shape(), target);
    copy_strided(out, *this);
    if (nnscope::is_floating_point(target) && autograd::any_requires_grad({this}))
        autograd::set_history(std::make_shared<ToDTypeBackward>(dtype()), {this}, out);
    return out;
}

double Tensor::item() const {
    if (numel() != 1)
        throw std::invalid_argument("a Tensor with " + std::to_string(numel()) +
                                    " elements cannot be converted to Scalar");
    return detail::load_as<double>(storage()->data(), dtype(), offset());
}

std::vector<double> Tensor::to_vector() const {
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(numel()));
    const std::byte* base = storage()->data();
    const DType type = dtype();
    detail::for_each_strided<1>(shape(), {strides().data()}, {offset()}, [&](const auto& o) {
        values.push_back(detail::load_as<double>(base, type, o[0]));
    });
    return values;
}

std::vector<std::int64_t> Tensor::to_int64_vector() const {
    std::vector<std::int64_t> values;
    values.reserve(static_cast<std::size_t>(numel()));
    const std::byte* base = storage()->data();
    const DType type = dtype();
    detail::for_each_strided<1>(shape(), {strides().data()}, {offset()}, [&](const auto& o) {
        values.push_back(detail::load_as<std::int64_t>(base, type, o[0]));
    });
    return values;
}

void Tensor::copy_(const Tensor& src) {
    copy_strided(*this, src);
}

void Tensor::fill_(double value) {
    // zero_grad fills every gradient each step: contiguous floats take one std::fill.
    if (is_contiguous() && dtype() == DType::Float32) {
        std::fill_n(data_ptr<float>(), numel(), static_cast<float>(value));
        return;
    }
    if (is_contiguous() && dtype() == DType::Float64) {
        std::fill_n(data_ptr<double>(), numel(), value);
        return;
    }
    std::byte* base = storage()->data();
    const DType type = dtype();
    detail::for_each_strided<1>(shape(), {strides().data()}, {offset()},
                                [&](const auto& o) { store_double(base, type, o[0], value); });
}

std::string Tensor::to_string() const {
    if (!defined()) return "tensor(undefined)";
    std::ostringstream out;
    out << "tensor(";
    const auto values = to_vector();
    const std::size_t shown = std::min<std::size_t>(values.size(), 12);
    out << "[";
    for (std::size_t i = 0; i < shown; ++i)
        out << (i ? ", " : "") << values[i];
    if (shown < values.size()) out << ", ...";
    out << "], shape=" << shape_to_string(shape()) << ", dtype=" << dtype_name(dtype()) << ")";
    return out.str();
}

// --- autograd -----------------------------------------------------------------------------

Tensor& Tensor::requires_grad_(bool value) {
    if (!is_leaf() && !value)
        throw std::runtime_error("you can only change requires_grad flags of leaf variables.");
    if (value && !is_floating_point())
        throw std::runtime_error("only Tensors of floating point dtype can require gradients; "
                                 "got " +
                                 std::string(dtype_name(dtype())));
    impl().requires_grad = value;
    return *this;
}

Tensor Tensor::grad() const {
    return impl().grad ? Tensor(impl().grad) : Tensor();
}

void Tensor::set_grad(const Tensor& grad) {
    if (grad.defined() && grad.shape() != shape())
        throw std::invalid_argument("assigned grad has shape " + shape_to_string(grad.shape()) +
                                    " but the tensor has shape " + shape_to_string(shape()));
    impl().grad = grad.defined() ? grad.impl_ptr() : nullptr;
}

void Tensor::retain_grad() {
    if (is_leaf()) return;
    if (impl().retains_grad) return;
    impl().retains_grad = true;
    // Store the gradient flowing into this output on the tensor itself.
    std::weak_ptr<TensorImpl> weak = impl_;
    grad_fn()->add_tensor_pre_hook(output_nr(), [weak](const Tensor& g) {
        if (auto self = weak.lock())
            self->grad = self->grad ? add(Tensor(self->grad), g).impl_ptr() : g.clone().impl_ptr();
        return Tensor();
    });
}

Tensor Tensor::detach() const {
    auto impl_copy = std::make_shared<TensorImpl>();
    impl_copy->storage = impl().storage;
    impl_copy->shape = impl().shape;
    impl_copy->strides = impl().strides;
    impl_copy->offset = impl().offset;
    impl_copy->dtype = impl().dtype;
    return Tensor(std::move(impl_copy));
}

void Tensor::backward(const Tensor& gradient, bool retain_graph) const {
    autograd::run_backward({*this}, {gradient}, retain_graph);
}

HookHandle Tensor::register_hook(TensorHook hook) const {
    if (!requires_grad())
        throw std::runtime_error("cannot register a hook on a tensor that doesn't require "
                                 "gradient");
    if (grad_fn()) {
        std::weak_ptr<autograd::Node> node = grad_fn();
        const auto id = grad_fn()->add_tensor_pre_hook(output_nr(), std::move(hook));
        return HookHandle([node, id] {
            if (auto n = node.lock()) n->remove_tensor_pre_hook(id);
        });
    }
    const auto id = autograd::next_hook_id();
    impl().hooks.emplace_back(id, std::move(hook));
    std::weak_ptr<TensorImpl> weak = impl_;
    return HookHandle([weak, id] {
        if (auto self = weak.lock())
            std::erase_if(self->hooks, [id](const auto& entry) { return entry.first == id; });
    });
}

} // namespace nnscope
