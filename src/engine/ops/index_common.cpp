#include "engine/ops/index_common.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace nnscope::detail {

namespace {

// The legacy type name PyTorch's checkScalarTypes prints ("torch.FloatTensor").
std::string legacy_type_name(DType dtype) {
    switch (dtype) {
    case DType::Float32:
        return "torch.FloatTensor";
    case DType::Float64:
        return "torch.DoubleTensor";
    case DType::Float16:
        return "torch.HalfTensor";
    case DType::BFloat16:
        return "CPUBFloat16Type";
    case DType::Int64:
        return "torch.LongTensor";
    case DType::Int32:
        return "torch.IntTensor";
    case DType::Int16:
        return "torch.ShortTensor";
    case DType::Int8:
        return "torch.CharTensor";
    case DType::UInt8:
        return "torch.ByteTensor";
    case DType::Bool:
        return "CPUBoolType";
    }
    return std::string(dtype_name(dtype));
}

} // namespace

std::string bounds_message(const char* op, std::int64_t index, std::int64_t dim,
                           std::int64_t size) {
    return (op ? std::string(op) + ": " : std::string()) + "index " + std::to_string(index) +
           " is out of bounds for dimension " + std::to_string(dim) + " with size " +
           std::to_string(size);
}

void check_bound(const char* op, std::int64_t index, std::int64_t dim, std::int64_t size) {
    if (index < 0 || index >= size) throw std::out_of_range(bounds_message(op, index, dim, size));
}

void check_index_dtype(const Tensor& index, const char* op, bool allow_int32) {
    if (index.dtype() != DType::Int64 && !(allow_int32 && index.dtype() == DType::Int32))
        throw std::invalid_argument(std::string(op) + ": Expected dtype " +
                                    (allow_int32 ? "int32 or int64" : "int64") + " for index");
}

void check_indices_dtype(const Tensor& indices, const char* op) {
    if (indices.dtype() != DType::Int64 && indices.dtype() != DType::Int32)
        throw std::invalid_argument("Expected tensor for argument #1 'indices' to have one of the "
                                    "following scalar types: Long, Int; but got " +
                                    legacy_type_name(indices.dtype()) +
                                    " instead (while checking arguments for " + op + ")");
}

std::vector<std::int64_t> index_values(const Tensor& index) {
    if (index.dtype() == DType::Int64 && index.is_contiguous()) {
        const std::int64_t* data = index.data_ptr<std::int64_t>();
        return {data, data + index.numel()};
    }
    return index.to_int64_vector();
}

std::pair<std::int64_t, std::int64_t> outer_inner(const Shape& shape, std::int64_t dim) {
    std::int64_t outer = 1, inner = 1;
    for (std::int64_t k = 0; k < static_cast<std::int64_t>(shape.size()); ++k)
        (k < dim ? outer : inner) *= k == dim ? 1 : shape[static_cast<std::size_t>(k)];
    return {outer, inner};
}

Tensor take_slices(const Tensor& x, std::int64_t dim, const std::vector<std::int64_t>& idx,
                   Shape shape_out) {
    Tensor out = Tensor::empty(shape_out, x.dtype());
    if (out.numel() == 0) return out;
    if (x.dim() == 0) {
        out.copy_(x);
        return out;
    }
    if (x.is_contiguous()) {
        const auto [outer, inner] = outer_inner(x.shape(), dim);
        const std::size_t row = static_cast<std::size_t>(inner) * element_size(x.dtype());
        const std::int64_t in_rows = x.shape()[static_cast<std::size_t>(dim)];
        const auto* src = static_cast<const std::byte*>(x.raw_data());
        auto* dst = static_cast<std::byte*>(out.raw_data());
        for (std::int64_t o = 0; o < outer; ++o)
            for (std::size_t j = 0; j < idx.size(); ++j, dst += row)
                std::memcpy(dst, src + (o * in_rows + idx[j]) * row, row);
        return out;
    }
    for (std::size_t j = 0; j < idx.size(); ++j)
        out.select(dim, static_cast<std::int64_t>(j)).copy_(x.select(dim, idx[j]));
    return out;
}

Tensor add_slices(const Shape& shape, std::int64_t dim, const std::vector<std::int64_t>& idx,
                  const Tensor& grad, std::int64_t skip) {
    Tensor out = Tensor::zeros(shape, grad.dtype());
    const Tensor g = grad.contiguous();
    if (shape.empty()) {
        out.copy_(g.reshape({}));
        return out;
    }
    const auto [outer, inner] = outer_inner(shape, dim);
    const std::int64_t rows = shape[static_cast<std::size_t>(dim)];
    const auto n = static_cast<std::int64_t>(idx.size());
    dispatch_floating(grad.dtype(), "index backward", [&](auto tag) {
        using T = decltype(tag);
        T* dst = out.data_ptr<T>();
        const T* src = g.data_ptr<T>();
        for (std::int64_t o = 0; o < outer; ++o)
            for (std::int64_t j = 0; j < n; ++j) {
                if (idx[j] == skip) continue;
                axpy(dst + (o * rows + idx[j]) * inner, src + (o * n + j) * inner, T(1), inner);
            }
    });
    return out;
}

} // namespace nnscope::detail
