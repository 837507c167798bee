#pragma once
// Internal: argument checks shared by the linalg, conv and norm ops, with PyTorch's wording.

#include "engine/ops/scalar_type_name.h"
#include "engine/tensor.h"

#include <stdexcept>
#include <string>

namespace nnscope::kernels {

inline std::string scalar_type_name(DType dtype) {
    return std::string(detail::scalar_type_name(dtype));
}

inline void check_same_dtype(const Tensor& expected, const Tensor& found) {
    if (found.defined() && found.dtype() != expected.dtype())
        throw std::invalid_argument(std::string("expected scalar type ") +
                                    scalar_type_name(expected.dtype()) + " but found " +
                                    scalar_type_name(found.dtype()));
}

// "2x3", as PyTorch prints matrix sizes in its mm errors.
inline std::string matrix_size(std::int64_t rows, std::int64_t cols) {
    return std::to_string(rows) + "x" + std::to_string(cols);
}

// Throws PyTorch's expand error unless `shape` broadcasts to `target`.
inline void check_expandable(const Shape& shape, const Shape& target) {
    if (shape.size() > target.size())
        throw std::invalid_argument(
            "expand(" + shape_to_string(shape) + ", size=" + shape_to_string(target) +
            "): the number of sizes provided (" + std::to_string(target.size()) +
            ") must be greater or equal to the number of dimensions in the tensor (" +
            std::to_string(shape.size()) + ")");
    for (std::size_t i = 0; i < shape.size(); ++i) {
        const std::size_t d = target.size() - shape.size() + i;
        if (shape[i] != 1 && shape[i] != target[d])
            throw std::invalid_argument(
                "The expanded size of the tensor (" + std::to_string(target[d]) +
                ") must match the existing size (" + std::to_string(shape[i]) +
                ") at non-singleton dimension " + std::to_string(d) + ".  Target sizes: " +
                shape_to_string(target) + ".  Tensor sizes: " + shape_to_string(shape));
    }
}

} // namespace nnscope::kernels
