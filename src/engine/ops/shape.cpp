// View and shape ops (Tensor members) and cat/stack.
//
// A view shares the input's storage and only changes shape, strides and offset; it never copies
// (reshape copies only when no strides can express the new shape, as PyTorch). Each view records
// a backward node that maps the gradient back to the input's shape. Views are views of storage
// only: autograd does not track the base/view relation, so an in-place write through a view is
// not seen by the graph of its base (PyTorch's in-place-on-view rebasing is not implemented; the
// engine records no in-place ops).

#include "engine/ops/shape.h"

#include "engine/autograd/grad_mode.h"
#include "engine/autograd/node.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/reduce.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace nnscope {

namespace {

using autograd::TensorList;

// A tensor over `base`'s storage with the given geometry and no autograd history.
Tensor make_view(const Tensor& base, Shape shape, Shape strides, std::int64_t offset) {
    auto impl = std::make_shared<TensorImpl>();
    impl->storage = base.storage();
    impl->shape = std::move(shape);
    impl->strides = std::move(strides);
    impl->offset = offset;
    impl->dtype = base.dtype();
    return Tensor(std::move(impl));
}

// Records `node` as the grad_fn of a view `out` of `self` when self requires grad.
template <class NodeT, class... Args>
Tensor record(const Tensor& self, Tensor out, Args&&... args) {
    if (autograd::any_requires_grad({&self}))
        autograd::set_history(std::make_shared<NodeT>(std::forward<Args>(args)...), {&self}, out);
    return out;
}

// --- backward nodes ---------------------------------------------------------------------------

// Views that only regroup elements (view, reshape, flatten, squeeze, unsqueeze): the gradient
// is the incoming one regrouped to the input's shape.
class RestoreShapeBackward final : public autograd::Node {
public:
    RestoreShapeBackward(const char* name, Shape shape)
        : name_(name)
        , shape_(std::move(shape)) {}
    TensorList apply(TensorList&& grads) override {
        return {grads[0].defined() ? grads[0].reshape(shape_) : Tensor()};
    }
    std::string name() const override { return name_; }

private:
    const char* name_;
    Shape shape_;
};

class TransposeBackward final : public autograd::Node {
public:
    TransposeBackward(std::int64_t dim0, std::int64_t dim1)
        : dim0_(dim0)
        , dim1_(dim1) {}
    TensorList apply(TensorList&& grads) override {
        return {grads[0].defined() ? grads[0].transpose(dim0_, dim1_) : Tensor()};
    }
    std::string name() const override { return "TransposeBackward0"; }

private:
    std::int64_t dim0_, dim1_;
};

class PermuteBackward final : public autograd::Node {
public:
    explicit PermuteBackward(const Shape& dims)
        : inverse_(dims.size()) {
        for (std::size_t i = 0; i < dims.size(); ++i)
            inverse_[static_cast<std::size_t>(dims[i])] = static_cast<std::int64_t>(i);
    }
    TensorList apply(TensorList&& grads) override {
        return {grads[0].defined() ? grads[0].permute(inverse_) : Tensor()};
    }
    std::string name() const override { return "PermuteBackward0"; }

private:
    Shape inverse_;
};

// slice/narrow: the gradient of the input is zero outside the slice.
class SliceBackward final : public autograd::Node {
public:
    SliceBackward(Shape shape, std::int64_t dim, std::int64_t start, std::int64_t end,
                  std::int64_t step)
        : shape_(std::move(shape))
        , dim_(dim)
        , start_(start)
        , end_(end)
        , step_(step) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined()) return {Tensor()};
        Tensor out = Tensor::zeros(shape_, grads[0].dtype());
        out.slice(dim_, start_, end_, step_).copy_(grads[0]);
        return {out};
    }
    std::string name() const override { return "SliceBackward0"; }

private:
    Shape shape_;
    std::int64_t dim_, start_, end_, step_;
};

class SelectBackward final : public autograd::Node {
public:
    SelectBackward(Shape shape, std::int64_t dim, std::int64_t index)
        : shape_(std::move(shape))
        , dim_(dim)
        , index_(index) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined()) return {Tensor()};
        Tensor out = Tensor::zeros(shape_, grads[0].dtype());
        out.select(dim_, index_).copy_(grads[0]);
        return {out};
    }
    std::string name() const override { return "SelectBackward0"; }

private:
    Shape shape_;
    std::int64_t dim_, index_;
};

class ExpandBackward final : public autograd::Node {
public:
    explicit ExpandBackward(Shape shape)
        : shape_(std::move(shape)) {}
    TensorList apply(TensorList&& grads) override {
        return {grads[0].defined() ? sum_to(grads[0], shape_) : Tensor()};
    }
    std::string name() const override { return "ExpandBackward0"; }

private:
    Shape shape_;
};

// cat: each input gets its slab of the gradient along dim; skipped legacy empty inputs get
// empty gradients.
class CatBackward final : public autograd::Node {
public:
    CatBackward(std::int64_t dim, std::vector<Shape> shapes, std::vector<bool> skipped)
        : dim_(dim)
        , shapes_(std::move(shapes))
        , skipped_(std::move(skipped)) {}
    TensorList apply(TensorList&& grads) override {
        TensorList out(shapes_.size());
        std::int64_t start = 0;
        for (std::size_t i = 0; i < shapes_.size(); ++i) {
            if (skipped_[i]) {
                if (needs_input_grad(i)) out[i] = Tensor::zeros(shapes_[i], grads[0].dtype());
                continue;
            }
            const std::int64_t length = shapes_[i][static_cast<std::size_t>(dim_)];
            if (needs_input_grad(i) && grads[0].defined())
                out[i] = grads[0].narrow(dim_, start, length);
            start += length;
        }
        return out;
    }
    std::string name() const override { return "CatBackward0"; }

private:
    std::int64_t dim_;
    std::vector<Shape> shapes_;
    std::vector<bool> skipped_;
};

// --- geometry helpers -------------------------------------------------------------------------

// Replaces a single -1 by the extent that keeps `numel` elements, as PyTorch's infer_size.
Shape infer_size(const Shape& requested, std::int64_t numel) {
    Shape shape = requested;
    std::optional<std::size_t> inferred;
    std::int64_t known = 1;
    for (std::size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] == -1) {
            if (inferred) throw std::runtime_error("only one dimension can be inferred");
            inferred = d;
        } else if (shape[d] >= 0) {
            known *= shape[d];
        } else {
            throw std::runtime_error("invalid shape dimension " + std::to_string(shape[d]));
        }
    }
    if (numel == known || (inferred && known > 0 && numel % known == 0)) {
        if (inferred) {
            if (known == 0)
                throw std::runtime_error("cannot reshape tensor of 0 elements into shape " +
                                         shape_to_string(requested) +
                                         " because the unspecified dimension size -1 "
                                         "can be any value and is ambiguous");
            shape[*inferred] = numel / known;
        }
        return shape;
    }
    throw std::runtime_error("shape '" + shape_to_string(requested) +
                             "' is invalid for input of size " + std::to_string(numel));
}

// Strides that show a tensor of (shape, strides) as `target` without copying, or nothing when
// some target dim would span two non-adjacent chunks (PyTorch's computeStride).
std::optional<Shape> view_strides(const Shape& shape, const Shape& strides, const Shape& target) {
    if (shape.empty()) return Shape(target.size(), 1);
    const std::int64_t numel = shape_numel(shape);
    if (numel == 0 && shape == target) return strides;
    Shape result(target.size());
    if (numel == 0) return contiguous_strides(target);
    std::int64_t view_d = static_cast<std::int64_t>(target.size()) - 1;
    std::int64_t chunk_base_stride = strides.back();
    std::int64_t tensor_numel = 1;
    std::int64_t view_numel = 1;
    for (std::int64_t tensor_d = static_cast<std::int64_t>(shape.size()) - 1; tensor_d >= 0;
         --tensor_d) {
        const auto td = static_cast<std::size_t>(tensor_d);
        tensor_numel *= shape[td];
        // A chunk ends where the next outer dim does not continue it contiguously.
        if (tensor_d == 0 ||
            (shape[td - 1] != 1 && strides[td - 1] != tensor_numel * chunk_base_stride)) {
            while (view_d >= 0 &&
                   (view_numel < tensor_numel || target[static_cast<std::size_t>(view_d)] == 1)) {
                result[static_cast<std::size_t>(view_d)] = view_numel * chunk_base_stride;
                view_numel *= target[static_cast<std::size_t>(view_d)];
                --view_d;
            }
            if (view_numel != tensor_numel) return std::nullopt;
            if (tensor_d > 0) {
                chunk_base_stride = strides[td - 1];
                tensor_numel = 1;
                view_numel = 1;
            }
        }
    }
    if (view_d != -1) return std::nullopt;
    return result;
}

// Python-style slice bounds clamped into [0, size], end never before start.
std::pair<std::int64_t, std::int64_t> clamp_slice(std::int64_t start, std::int64_t end,
                                                  std::int64_t size) {
    if (start < 0) start += size;
    if (end < 0) end += size;
    start = std::clamp<std::int64_t>(start, 0, size);
    end = std::clamp<std::int64_t>(end, 0, size);
    return {start, std::max(start, end)};
}

} // namespace

// --- views --------------------------------------------------------------------------------------

Tensor Tensor::view(const Shape& requested) const {
    const Shape shape_out = infer_size(requested, numel());
    auto strides_out = view_strides(shape(), strides(), shape_out);
    if (!strides_out)
        throw std::runtime_error(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
    return record<RestoreShapeBackward>(*this, make_view(*this, shape_out, *strides_out, offset()),
                                        "ViewBackward0", shape());
}

Tensor Tensor::reshape(const Shape& requested) const {
    const Shape shape_out = infer_size(requested, numel());
    if (auto strides_out = view_strides(shape(), strides(), shape_out))
        return record<RestoreShapeBackward>(*this,
                                            make_view(*this, shape_out, *strides_out, offset()),
                                            "ReshapeAliasBackward0", shape());
    // No strides express it: copy (CloneBackward), then view the fresh contiguous copy.
    return clone().view(shape_out);
}

Tensor Tensor::flatten(std::int64_t start_dim, std::int64_t end_dim) const {
    const std::int64_t start = wrap_dim(start_dim, dim(), "flatten");
    const std::int64_t end = wrap_dim(end_dim, dim(), "flatten");
    if (start > end)
        throw std::runtime_error("flatten() has invalid args: start_dim cannot come after end_dim");
    if (dim() == 0) return reshape({1});
    if (start == end) return *this;
    Shape shape_out(shape().begin(), shape().begin() + start);
    std::int64_t merged = 1;
    for (std::int64_t d = start; d <= end; ++d)
        merged *= shape()[static_cast<std::size_t>(d)];
    shape_out.push_back(merged);
    shape_out.insert(shape_out.end(), shape().begin() + end + 1, shape().end());
    return reshape(shape_out);
}

Tensor Tensor::transpose(std::int64_t dim0, std::int64_t dim1) const {
    const auto d0 = static_cast<std::size_t>(wrap_dim(dim0, dim(), "transpose"));
    const auto d1 = static_cast<std::size_t>(wrap_dim(dim1, dim(), "transpose"));
    Shape shape_out = shape();
    Shape strides_out = strides();
    if (dim() > 0) {
        std::swap(shape_out[d0], shape_out[d1]);
        std::swap(strides_out[d0], strides_out[d1]);
    }
    return record<TransposeBackward>(
        *this, make_view(*this, std::move(shape_out), std::move(strides_out), offset()),
        static_cast<std::int64_t>(d0), static_cast<std::int64_t>(d1));
}

Tensor Tensor::permute(const Shape& dims) const {
    if (static_cast<std::int64_t>(dims.size()) != dim())
        throw std::runtime_error(
            "permute(): number of dimensions in the tensor input does not match the length of "
            "the desired ordering of dimensions i.e. input.dim() = " +
            std::to_string(dim()) + " is not equal to len(dims) = " + std::to_string(dims.size()));
    Shape wrapped(dims.size());
    std::vector<bool> seen(dims.size(), false);
    Shape shape_out(dims.size());
    Shape strides_out(dims.size());
    for (std::size_t i = 0; i < dims.size(); ++i) {
        const auto d = static_cast<std::size_t>(wrap_dim(dims[i], dim(), "permute"));
        if (seen[d]) throw std::runtime_error("permute(): duplicate dims are not allowed.");
        seen[d] = true;
        wrapped[i] = static_cast<std::int64_t>(d);
        shape_out[i] = shape()[d];
        strides_out[i] = strides()[d];
    }
    return record<PermuteBackward>(
        *this, make_view(*this, std::move(shape_out), std::move(strides_out), offset()), wrapped);
}

Tensor Tensor::squeeze() const {
    Shape shape_out;
    Shape strides_out;
    for (std::size_t d = 0; d < shape().size(); ++d) {
        if (shape()[d] == 1) continue;
        shape_out.push_back(shape()[d]);
        strides_out.push_back(strides()[d]);
    }
    return record<RestoreShapeBackward>(
        *this, make_view(*this, std::move(shape_out), std::move(strides_out), offset()),
        "SqueezeBackward0", shape());
}

Tensor Tensor::squeeze(std::int64_t dim_to_squeeze) const {
    const auto d = static_cast<std::size_t>(wrap_dim(dim_to_squeeze, dim(), "squeeze"));
    Shape shape_out = shape();
    Shape strides_out = strides();
    // Squeezing a dim whose extent is not 1 leaves the shape alone (still a new view).
    if (dim() > 0 && shape()[d] == 1) {
        shape_out.erase(shape_out.begin() + static_cast<std::ptrdiff_t>(d));
        strides_out.erase(strides_out.begin() + static_cast<std::ptrdiff_t>(d));
    }
    return record<RestoreShapeBackward>(
        *this, make_view(*this, std::move(shape_out), std::move(strides_out), offset()),
        "SqueezeBackward1", shape());
}

Tensor Tensor::unsqueeze(std::int64_t dim_to_add) const {
    const auto d = static_cast<std::size_t>(wrap_dim(dim_to_add, dim() + 1, "unsqueeze"));
    Shape shape_out = shape();
    Shape strides_out = strides();
    // PyTorch's choice of stride for the new dim, so that strides compare equal.
    const std::int64_t new_stride = d >= shape().size() ? 1 : shape()[d] * strides()[d];
    shape_out.insert(shape_out.begin() + static_cast<std::ptrdiff_t>(d), 1);
    strides_out.insert(strides_out.begin() + static_cast<std::ptrdiff_t>(d), new_stride);
    return record<RestoreShapeBackward>(
        *this, make_view(*this, std::move(shape_out), std::move(strides_out), offset()),
        "UnsqueezeBackward0", shape());
}

Tensor Tensor::narrow(std::int64_t dim_to_narrow, std::int64_t start, std::int64_t length) const {
    if (dim() == 0) throw std::runtime_error("narrow() cannot be applied to a 0-dim tensor.");
    const std::int64_t d = wrap_dim(dim_to_narrow, dim(), "narrow");
    const std::int64_t size = shape()[static_cast<std::size_t>(d)];
    // start == size is a valid (empty) start but not a valid index to wrap.
    if (start != size) start = wrap_dim(start, size, "narrow(): start");
    if (length < 0 || start > size - length)
        throw std::runtime_error("start (" + std::to_string(start) + ") + length (" +
                                 std::to_string(length) + ") exceeds dimension size (" +
                                 std::to_string(size) + ").");
    return slice(d, start, start + length);
}

Tensor Tensor::select(std::int64_t dim_to_select, std::int64_t index) const {
    if (dim() == 0) throw std::out_of_range("select() cannot be applied to a 0-dim tensor.");
    const auto d = static_cast<std::size_t>(wrap_dim(dim_to_select, dim(), "select"));
    const std::int64_t size = shape()[d];
    if (index < -size || index >= size)
        throw std::out_of_range("select(): index " + std::to_string(index) +
                                " out of range for tensor of size " + shape_to_string(shape()) +
                                " at dimension " + std::to_string(d));
    if (index < 0) index += size;
    Shape shape_out = shape();
    Shape strides_out = strides();
    const std::int64_t offset_out = offset() + index * strides()[d];
    shape_out.erase(shape_out.begin() + static_cast<std::ptrdiff_t>(d));
    strides_out.erase(strides_out.begin() + static_cast<std::ptrdiff_t>(d));
    return record<SelectBackward>(
        *this, make_view(*this, std::move(shape_out), std::move(strides_out), offset_out), shape(),
        static_cast<std::int64_t>(d), index);
}

Tensor Tensor::slice(std::int64_t dim_to_slice, std::int64_t start, std::int64_t end,
                     std::int64_t step) const {
    if (dim() == 0) throw std::runtime_error("slice() cannot be applied to a 0-dim tensor.");
    if (step <= 0) throw std::invalid_argument("slice step must be positive");
    const auto d = static_cast<std::size_t>(wrap_dim(dim_to_slice, dim(), "slice"));
    const auto [first, last] = clamp_slice(start, end, shape()[d]);
    Shape shape_out = shape();
    Shape strides_out = strides();
    shape_out[d] = (last - first + step - 1) / step;
    strides_out[d] *= step;
    return record<SliceBackward>(*this,
                                 make_view(*this, std::move(shape_out), std::move(strides_out),
                                           offset() + first * strides()[d]),
                                 shape(), static_cast<std::int64_t>(d), first, last, step);
}

Tensor Tensor::expand(const Shape& target) const {
    const std::size_t ndim = target.size();
    const std::size_t tensor_dim = shape().size();
    if (ndim < tensor_dim)
        throw std::runtime_error(
            "expand(" + std::string(dtype_name(dtype())) + " tensor " + shape_to_string(shape()) +
            ", size=" + shape_to_string(target) + "): the number of sizes provided (" +
            std::to_string(ndim) +
            ") must be greater or equal to the number of dimensions in the tensor (" +
            std::to_string(tensor_dim) + ")");
    Shape shape_out(ndim);
    Shape strides_out(ndim);
    for (std::size_t i = ndim; i-- > 0;) {
        const std::size_t from_end = ndim - 1 - i;
        const bool exists = from_end < tensor_dim;
        const std::size_t d = tensor_dim - 1 - from_end;
        std::int64_t size = exists ? shape()[d] : 1;
        // A new leading dim continues the one inside it, as PyTorch's inferExpandGeometry.
        std::int64_t stride = exists         ? strides()[d]
                              : i + 1 < ndim ? shape_out[i + 1] * strides_out[i + 1]
                                             : 0;
        std::int64_t wanted = target[i];
        if (wanted == -1) {
            if (!exists)
                throw std::runtime_error(
                    "The expanded size of the tensor (-1) isn't allowed in a leading, "
                    "non-existing dimension " +
                    std::to_string(i));
            wanted = size;
        }
        if (wanted < 0)
            throw std::runtime_error("expand: invalid size " + std::to_string(wanted) + " in " +
                                     shape_to_string(target));
        if (size != wanted) {
            if (size != 1)
                throw std::runtime_error("The expanded size of the tensor (" +
                                         std::to_string(wanted) +
                                         ") must match the existing size (" + std::to_string(size) +
                                         ") at non-singleton dimension " + std::to_string(i) +
                                         ".  Target sizes: " + shape_to_string(target) +
                                         ".  Tensor sizes: " + shape_to_string(shape()));
            size = wanted;
            stride = 0;
        }
        shape_out[i] = size;
        strides_out[i] = stride;
    }
    return record<ExpandBackward>(
        *this, make_view(*this, std::move(shape_out), std::move(strides_out), offset()), shape());
}

// --- cat / stack
// ----------------------------------------------------------------------------------

Tensor cat(const std::vector<Tensor>& tensors, std::int64_t dim) {
    if (tensors.empty())
        throw std::runtime_error("torch.cat(): expected a non-empty list of Tensors");
    // PyTorch still skips 1-D empty tensors (legacy behaviour): they take no part in checks.
    std::vector<bool> skipped(tensors.size());
    const Tensor* reference = nullptr;
    std::size_t reference_index = 0;
    DType dtype = tensors[0].dtype();
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const Tensor& t = tensors[i];
        if (t.dim() == 0)
            throw std::runtime_error("zero-dimensional tensor (at position " + std::to_string(i) +
                                     ") cannot be concatenated");
        if (i > 0) dtype = result_type(Tensor::empty({0}, dtype), t);
        skipped[i] = t.dim() == 1 && t.numel() == 0;
        if (!skipped[i] && !reference) {
            reference = &t;
            reference_index = i;
        }
    }
    if (!reference) return Tensor::empty({0}, dtype);
    const std::int64_t ndim = reference->dim();
    const auto d = static_cast<std::size_t>(wrap_dim(dim, ndim, "cat"));
    Shape shape_out = reference->shape();
    shape_out[d] = 0;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (skipped[i]) continue;
        const Tensor& t = tensors[i];
        if (t.dim() != ndim)
            throw std::runtime_error("Tensors must have same number of dimensions: got " +
                                     std::to_string(ndim) + " and " + std::to_string(t.dim()));
        for (std::size_t k = 0; k < shape_out.size(); ++k)
            if (k != d && t.shape()[k] != reference->shape()[k])
                throw std::runtime_error(
                    "Sizes of tensors must match except in dimension " + std::to_string(d) +
                    ". Expected size " + std::to_string(reference->shape()[k]) + " but got size " +
                    std::to_string(t.shape()[k]) + " for tensor number " + std::to_string(i) +
                    " in the list (shapes " + shape_to_string(reference->shape()) +
                    " of tensor number " + std::to_string(reference_index) + " and " +
                    shape_to_string(t.shape()) + ").");
        shape_out[d] += t.shape()[d];
    }

    Tensor out = Tensor::empty(shape_out, dtype);
    // Each input fills a slab of `outer` rows of `row` elements, `out_row` apart in the output.
    std::int64_t outer = 1;
    std::int64_t inner = 1;
    for (std::size_t k = 0; k < d; ++k)
        outer *= shape_out[k];
    for (std::size_t k = d + 1; k < shape_out.size(); ++k)
        inner *= shape_out[k];
    const std::size_t item = element_size(dtype);
    const std::int64_t out_row = shape_out[d] * inner;
    std::int64_t start = 0;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (skipped[i]) continue;
        const Tensor& t = tensors[i];
        const std::int64_t length = t.shape()[d];
        if (t.dtype() == dtype && t.is_contiguous()) {
            const std::int64_t row = length * inner;
            const auto* src = static_cast<const std::byte*>(t.raw_data());
            auto* dst = static_cast<std::byte*>(out.raw_data()) + start * inner * item;
            for (std::int64_t o = 0; o < outer && row > 0; ++o)
                std::memcpy(dst + o * out_row * item, src + o * row * item,
                            static_cast<std::size_t>(row) * item);
        } else {
            out.narrow(static_cast<std::int64_t>(d), start, length).copy_(t);
        }
        start += length;
    }

    if (autograd::any_requires_grad(tensors)) {
        std::vector<Shape> shapes;
        std::vector<const Tensor*> inputs;
        for (const Tensor& t : tensors) {
            shapes.push_back(t.shape());
            inputs.push_back(&t);
        }
        auto node = std::make_shared<CatBackward>(static_cast<std::int64_t>(d), std::move(shapes),
                                                  std::move(skipped));
        autograd::set_history(node, inputs, {&out});
    }
    return out;
}

Tensor stack(const std::vector<Tensor>& tensors, std::int64_t dim) {
    if (tensors.empty()) throw std::runtime_error("stack expects a non-empty TensorList");
    for (std::size_t i = 1; i < tensors.size(); ++i)
        if (tensors[i].shape() != tensors[0].shape())
            throw std::runtime_error("stack expects each tensor to be equal size, but got " +
                                     shape_to_string(tensors[0].shape()) + " at entry 0 and " +
                                     shape_to_string(tensors[i].shape()) + " at entry " +
                                     std::to_string(i));
    const std::int64_t d = wrap_dim(dim, tensors[0].dim() + 1, "stack");
    std::vector<Tensor> expanded;
    expanded.reserve(tensors.size());
    for (const Tensor& t : tensors)
        expanded.push_back(t.unsqueeze(d));
    return cat(expanded, d);
}

} // namespace nnscope
