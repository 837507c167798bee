#pragma once
// Tensor: a handle to shared storage seen through a shape, strides (in elements) and an offset,
// with a run-time dtype and the autograd state PyTorch keeps beside it. Copying a Tensor copies
// the handle, as in PyTorch; views share storage and never copy.

#include "engine/dtype.h"
#include "engine/storage.h"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nnscope {

using Shape = std::vector<std::int64_t>;

namespace autograd {
class Node;
}

class Tensor;
// A tensor hook sees the gradient and may return a replacement (an undefined Tensor keeps it).
using TensorHook = std::function<Tensor(const Tensor& grad)>;

struct TensorImpl {
    std::shared_ptr<Storage> storage;
    Shape shape;
    Shape strides;
    std::int64_t offset = 0;
    DType dtype = DType::Float32;

    // Autograd state. A leaf that requires grad owns its gradient; a non-leaf has a grad_fn.
    bool requires_grad = false;
    bool retains_grad = false;
    std::shared_ptr<TensorImpl> grad;
    std::shared_ptr<autograd::Node> grad_fn;
    std::uint32_t output_nr = 0;
    std::weak_ptr<autograd::Node> grad_accumulator;
    std::vector<std::pair<std::uint64_t, TensorHook>> hooks; // a leaf's hooks, in order
};

// Removes a hook when asked; forgetting the handle leaves the hook in place, as in PyTorch.
class HookHandle {
public:
    HookHandle() = default;
    explicit HookHandle(std::function<void()> remover)
        : remover_(std::move(remover)) {}
    void remove() {
        if (remover_) std::exchange(remover_, nullptr)();
    }

private:
    std::function<void()> remover_;
};

class Tensor {
public:
    Tensor() = default;
    explicit Tensor(std::shared_ptr<TensorImpl> impl)
        : impl_(std::move(impl)) {}

    // --- factories -------------------------------------------------------------------------
    static Tensor empty(const Shape& shape, DType dtype = DType::Float32);
    static Tensor zeros(const Shape& shape, DType dtype = DType::Float32);
    static Tensor ones(const Shape& shape, DType dtype = DType::Float32);
    static Tensor full(const Shape& shape, double value, DType dtype = DType::Float32);
    static Tensor scalar(double value, DType dtype = DType::Float32); // 0-dim
    // Values converted to dtype; values.size() must equal the shape's element count.
    static Tensor from_vector(const std::vector<double>& values, const Shape& shape,
                              DType dtype = DType::Float32);
    static Tensor from_int64(const std::vector<std::int64_t>& values, const Shape& shape);
    static Tensor arange(std::int64_t end, DType dtype = DType::Int64);
    static Tensor zeros_like(const Tensor& other);
    static Tensor empty_like(const Tensor& other); // contiguous, same shape and dtype
    // A view of existing storage; checks that every element it reaches lies inside it.
    static Tensor from_storage(std::shared_ptr<Storage> storage, DType dtype, const Shape& shape,
                               const Shape& strides, std::int64_t offset);

    // --- metadata --------------------------------------------------------------------------
    bool defined() const { return impl_ != nullptr; }
    DType dtype() const { return impl().dtype; }
    const Shape& shape() const { return impl().shape; }
    const Shape& strides() const { return impl().strides; }
    std::int64_t offset() const { return impl().offset; }
    std::int64_t dim() const { return static_cast<std::int64_t>(impl().shape.size()); }
    std::int64_t size(std::int64_t d) const; // negative d counts from the end
    std::int64_t stride(std::int64_t d) const;
    std::int64_t numel() const;
    bool is_contiguous() const;
    bool is_floating_point() const { return nnscope::is_floating_point(dtype()); }
    const std::shared_ptr<Storage>& storage() const { return impl().storage; }
    bool is_same(const Tensor& other) const { return impl_ == other.impl_; }
    TensorImpl* unsafe_impl() const { return impl_.get(); }
    const std::shared_ptr<TensorImpl>& impl_ptr() const { return impl_; }

    // Pointer to the first element (storage + offset); T must match dtype().
    template <class T> T* data_ptr() const;
    void* raw_data() const;

    // --- values ----------------------------------------------------------------------------
    Tensor contiguous() const;             // itself when already contiguous
    Tensor clone() const;                  // differentiable copy into fresh contiguous storage
    Tensor to(DType dtype) const;          // differentiable between floating dtypes
    double item() const;                   // one element, as double
    std::vector<double> to_vector() const; // every element in row-major order, as double
    std::vector<std::int64_t> to_int64_vector() const;
    void copy_(const Tensor& src); // in-place, broadcasting src; not recorded
    void fill_(double value);      // in-place; not recorded
    void zero_() { fill_(0.0); }
    std::string to_string() const; // short, PyTorch-like rendering for messages and CLI

    // --- autograd --------------------------------------------------------------------------
    bool requires_grad() const { return impl_ && impl_->requires_grad; }
    Tensor& requires_grad_(bool value = true); // only on leaves, like PyTorch
    bool is_leaf() const { return !impl().grad_fn; }
    Tensor grad() const;
    void set_grad(const Tensor& grad);
    const std::shared_ptr<autograd::Node>& grad_fn() const { return impl().grad_fn; }
    std::uint32_t output_nr() const { return impl().output_nr; }
    void retain_grad();
    // Shares storage, drops the autograd history.
    Tensor detach() const;
    // Gradient defaults to ones for a one-element tensor; otherwise it must be given.
    void backward(const Tensor& gradient = Tensor(), bool retain_graph = false) const;
    HookHandle register_hook(TensorHook hook) const;

    // --- views and shape (each in ops/shape.cpp, differentiable) ---------------------------
    Tensor view(const Shape& shape) const;
    Tensor reshape(const Shape& shape) const;
    Tensor flatten(std::int64_t start_dim = 0, std::int64_t end_dim = -1) const;
    Tensor transpose(std::int64_t dim0, std::int64_t dim1) const;
    Tensor permute(const Shape& dims) const;
    Tensor t() const { return transpose(0, 1); }
    Tensor squeeze() const;
    Tensor squeeze(std::int64_t dim) const;
    Tensor unsqueeze(std::int64_t dim) const;
    Tensor narrow(std::int64_t dim, std::int64_t start, std::int64_t length) const;
    Tensor select(std::int64_t dim, std::int64_t index) const;
    Tensor slice(std::int64_t dim, std::int64_t start, std::int64_t end,
                 std::int64_t step = 1) const;
    Tensor expand(const Shape& shape) const;

private:
    TensorImpl& impl() const;
    std::shared_ptr<TensorImpl> impl_;
};

// Number of elements of a shape; throws on a negative extent or on overflow.
std::int64_t shape_numel(const Shape& shape);
Shape contiguous_strides(const Shape& shape);
std::string shape_to_string(const Shape& shape); // "[2, 3]"
// Wraps a possibly negative dim into [0, ndim); throws std::out_of_range naming the op when out
// of range, or with PyTorch's own "Dimension out of range (...)" when op is null.
std::int64_t wrap_dim(std::int64_t dim, std::int64_t ndim, const char* op);

template <class T> T* Tensor::data_ptr() const {
    if (DTypeOf<T>::value != dtype()) throw_unsupported_dtype(dtype(), "data_ptr");
    return reinterpret_cast<T*>(impl().storage->data()) + impl().offset;
}

} // namespace nnscope
