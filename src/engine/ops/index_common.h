#pragma once
// Internal: what the indexing ops (index.cpp, gather_scatter.cpp, embedding_bag.cpp) share:
// index checks, row copies along a dim and their reverse for backward.

#include "engine/tensor.h"

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nnscope::detail {

// PyTorch's "index i is out of bounds for dimension d with size n" (gather and scatter's
// wording), after "<op>: " when op is given.
std::string bounds_message(const char* op, std::int64_t index, std::int64_t dim, std::int64_t size);

// Throws std::out_of_range with bounds_message unless 0 <= index < size.
void check_bound(const char* op, std::int64_t index, std::int64_t dim, std::int64_t size);

// Throws std::invalid_argument "<op>: Expected dtype int64 for index" (or "int32 or int64" where
// PyTorch allows both), PyTorch's words for index_select, gather and scatter.
void check_index_dtype(const Tensor& index, const char* op, bool allow_int32);

// Throws std::invalid_argument with the message of PyTorch's checkScalarTypes for an `indices`
// argument that is neither int64 nor int32 (embedding, embedding_bag: op names the function).
void check_indices_dtype(const Tensor& indices, const char* op);

// The index values of an int64 or int32 tensor (the caller has checked the dtype).
std::vector<std::int64_t> index_values(const Tensor& index);

// Extent and stride of dim d, treating a 0-dim tensor as one element.
inline std::int64_t size_at(const Tensor& t, std::int64_t d) {
    return t.dim() == 0 ? 1 : t.shape()[static_cast<std::size_t>(d)];
}
inline std::int64_t stride_at(const Tensor& t, std::int64_t d) {
    return t.dim() == 0 ? 0 : t.strides()[static_cast<std::size_t>(d)];
}

// Splits a shape around dim: elements before it (outer) and after it (inner).
std::pair<std::int64_t, std::int64_t> outer_inner(const Shape& shape, std::int64_t dim);

// to += scale * from over n elements of buffers that never overlap. Eigen vectorises it
// explicitly; GCC leaves the plain loop scalar at -O2.
template <class T> void axpy(T* to, const T* from, T scale, std::int64_t n) {
    using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
    Eigen::Map<Array>(to, n) += scale * Eigen::Map<const Array>(from, n);
}

// x's slices idx[0], idx[1], ... along dim, stacked along dim into a fresh contiguous tensor.
Tensor take_slices(const Tensor& x, std::int64_t dim, const std::vector<std::int64_t>& idx,
                   Shape shape_out);

// The reverse of take_slices: a zero tensor of `shape` with grad's slice j added into slice
// idx[j] along dim (repeats accumulate); slices equal to `skip` get nothing.
Tensor add_slices(const Shape& shape, std::int64_t dim, const std::vector<std::int64_t>& idx,
                  const Tensor& grad, std::int64_t skip = -1);

} // namespace nnscope::detail
