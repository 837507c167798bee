#pragma once
// Run-time element types of a tensor, named as PyTorch names them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace nnscope {

enum class DType : std::uint8_t {
    Float32,
    Float64,
    Float16,
    BFloat16,
    Int64,
    Int32,
    Int16,
    Int8,
    UInt8,
    Bool,
};

std::size_t element_size(DType dtype);
// "float32", "int64", ... as torch.float32 prints without the "torch." prefix.
std::string_view dtype_name(DType dtype);
// Accepts PyTorch's names (float32, float, double, long, ...); throws on anything else.
DType dtype_from_name(std::string_view name);
bool is_floating_point(DType dtype);

// Maps a C++ element type to its DType; only types a kernel may touch directly.
template <class T> struct DTypeOf;
template <> struct DTypeOf<float> { static constexpr DType value = DType::Float32; };
template <> struct DTypeOf<double> { static constexpr DType value = DType::Float64; };
template <> struct DTypeOf<std::int64_t> { static constexpr DType value = DType::Int64; };
template <> struct DTypeOf<std::int32_t> { static constexpr DType value = DType::Int32; };
template <> struct DTypeOf<std::int16_t> { static constexpr DType value = DType::Int16; };
template <> struct DTypeOf<std::int8_t> { static constexpr DType value = DType::Int8; };
template <> struct DTypeOf<std::uint8_t> { static constexpr DType value = DType::UInt8; };
template <> struct DTypeOf<bool> { static constexpr DType value = DType::Bool; };

// Calls fn(T{}) with T the C++ type of a float32 or float64 dtype; throws for the others.
template <class Fn> decltype(auto) dispatch_floating(DType dtype, const char* op, Fn&& fn);

// Calls fn(T{}) for every dtype a kernel computes in directly (not float16/bfloat16).
template <class Fn> decltype(auto) dispatch_all(DType dtype, const char* op, Fn&& fn);

[[noreturn]] void throw_unsupported_dtype(DType dtype, const char* op);

template <class Fn> decltype(auto) dispatch_floating(DType dtype, const char* op, Fn&& fn) {
    switch (dtype) {
    case DType::Float32:
        return fn(float{});
    case DType::Float64:
        return fn(double{});
    default:
        throw_unsupported_dtype(dtype, op);
    }
}

template <class Fn> decltype(auto) dispatch_all(DType dtype, const char* op, Fn&& fn) {
    switch (dtype) {
    case DType::Float32:
        return fn(float{});
    case DType::Float64:
        return fn(double{});
    case DType::Int64:
        return fn(std::int64_t{});
    case DType::Int32:
        return fn(std::int32_t{});
    case DType::Int16:
        return fn(std::int16_t{});
    case DType::Int8:
        return fn(std::int8_t{});
    case DType::UInt8:
        return fn(std::uint8_t{});
    case DType::Bool:
        return fn(bool{});
    default:
        throw_unsupported_dtype(dtype, op);
    }
}

} // namespace nnscope
