#include "io/tensor_bytes.h"

#include "engine/half.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace nnscope::io {

namespace {

// Calls fn(byte pointer) for every element in row-major order, walking the strides with an
// odometer so any view works without a contiguous copy.
template <class Fn> void for_each_element(const Tensor& tensor, Fn&& fn) {
    const std::int64_t count = tensor.numel();
    if (count == 0) return;
    const auto item = static_cast<std::int64_t>(element_size(tensor.dtype()));
    const std::byte* base = tensor.storage()->data() + tensor.offset() * item;
    const Shape& shape = tensor.shape();
    const Shape& strides = tensor.strides();
    const std::size_t ndim = shape.size();
    std::vector<std::int64_t> index(ndim, 0);
    std::int64_t position = 0; // element offset from base
    for (std::int64_t n = 0; n < count; ++n) {
        fn(base + position * item);
        for (std::size_t d = ndim; d-- > 0;) {
            if (++index[d] < shape[d]) {
                position += strides[d];
                break;
            }
            position -= strides[d] * (shape[d] - 1);
            index[d] = 0;
        }
    }
}

template <class T> T load(const std::byte* p) {
    T value;
    std::memcpy(&value, p, sizeof value);
    return value;
}

double element_as_double(DType dtype, const std::byte* p) {
    switch (dtype) {
    case DType::Float32:
        return load<float>(p);
    case DType::Float64:
        return load<double>(p);
    case DType::Float16:
        return half_to_float(load<std::uint16_t>(p));
    case DType::BFloat16:
        return bfloat16_to_float(load<std::uint16_t>(p));
    case DType::Int64:
        return static_cast<double>(load<std::int64_t>(p));
    case DType::Int32:
        return load<std::int32_t>(p);
    case DType::Int16:
        return load<std::int16_t>(p);
    case DType::Int8:
        return load<std::int8_t>(p);
    case DType::UInt8:
        return load<std::uint8_t>(p);
    case DType::Bool:
        return load<std::uint8_t>(p) != 0 ? 1.0 : 0.0;
    }
    return 0.0;
}

} // namespace

Tensor tensor_over_bytes(std::byte* bytes, std::size_t nbytes, DType dtype, const Shape& shape,
                         std::shared_ptr<const void> owner) {
    bool copy = !owner || reinterpret_cast<std::uintptr_t>(bytes) % element_size(dtype) != 0;
    if (dtype == DType::Bool)
        copy = copy || std::any_of(bytes, bytes + nbytes,
                                   [](std::byte b) { return std::to_integer<unsigned>(b) > 1; });
    std::shared_ptr<Storage> storage;
    if (copy) {
        storage = Storage::allocate(nbytes);
        if (nbytes) std::memcpy(storage->data(), bytes, nbytes);
        if (dtype == DType::Bool)
            for (std::size_t i = 0; i < nbytes; ++i)
                storage->data()[i] = std::byte{storage->data()[i] != std::byte{0}};
    } else {
        storage = Storage::wrap(bytes, nbytes, std::move(owner));
    }
    return Tensor::from_storage(std::move(storage), dtype, shape, contiguous_strides(shape), 0);
}

void copy_to_contiguous_bytes(const Tensor& tensor, std::byte* out) {
    const std::size_t item = element_size(tensor.dtype());
    if (tensor.is_contiguous()) {
        const auto nbytes = static_cast<std::size_t>(tensor.numel()) * item;
        if (nbytes > 0) std::memcpy(out, tensor.storage()->data() + tensor.offset() * item, nbytes);
        return;
    }
    for_each_element(tensor, [&](const std::byte* p) {
        std::memcpy(out, p, item);
        out += item;
    });
}

std::vector<double> to_double_values(const Tensor& tensor) {
    std::vector<double> values;
    values.reserve(static_cast<std::size_t>(tensor.numel()));
    const DType dtype = tensor.dtype();
    for_each_element(tensor,
                     [&](const std::byte* p) { values.push_back(element_as_double(dtype, p)); });
    return values;
}

Tensor to_float32(const Tensor& tensor) {
    Tensor out = Tensor::empty(tensor.shape(), DType::Float32);
    float* dst = out.data_ptr<float>();
    const DType dtype = tensor.dtype();
    if (dtype == DType::Int64) { // via double would round twice; int64 -> float rounds once
        for_each_element(tensor, [&](const std::byte* p) {
            *dst++ = static_cast<float>(load<std::int64_t>(p));
        });
        return out;
    }
    for_each_element(tensor, [&](const std::byte* p) {
        *dst++ = static_cast<float>(element_as_double(dtype, p));
    });
    return out;
}

namespace {

template <class U, class T>
Tensor widen_as(const std::byte* bytes, std::int64_t count, const Shape& shape, DType dtype) {
    Tensor out = Tensor::empty(shape, dtype);
    T* data = out.data_ptr<T>();
    for (std::int64_t i = 0; i < count; ++i)
        data[i] = static_cast<T>(load<U>(bytes + i * std::int64_t(sizeof(U))));
    return out;
}

} // namespace

Tensor widen_unsigned(const std::byte* bytes, std::size_t nbytes, std::size_t element_bytes,
                      const Shape& shape) {
    std::int64_t count = 1;
    for (std::int64_t d : shape)
        count *= d;
    if (std::uint64_t(count) * element_bytes != nbytes)
        throw std::invalid_argument("unsigned tensor of " + std::to_string(count) +
                                    " elements cannot span " + std::to_string(nbytes) + " bytes");
    switch (element_bytes) {
    case 2:
        return widen_as<std::uint16_t, std::int32_t>(bytes, count, shape, DType::Int32);
    case 4:
        return widen_as<std::uint32_t, std::int64_t>(bytes, count, shape, DType::Int64);
    case 8:
        return widen_as<std::uint64_t, double>(bytes, count, shape, DType::Float64);
    default:
        throw std::invalid_argument("no unsigned integer type of " + std::to_string(element_bytes) +
                                    " bytes");
    }
}

} // namespace nnscope::io
