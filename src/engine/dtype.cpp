#include "engine/dtype.h"

#include <stdexcept>

namespace nnscope {

std::size_t element_size(DType dtype) {
    switch (dtype) {
    case DType::Float64:
    case DType::Int64:
        return 8;
    case DType::Float32:
    case DType::Int32:
        return 4;
    case DType::Float16:
    case DType::BFloat16:
    case DType::Int16:
        return 2;
    case DType::Int8:
    case DType::UInt8:
    case DType::Bool:
        return 1;
    }
    return 0;
}

std::string_view dtype_name(DType dtype) {
    switch (dtype) {
    case DType::Float32:
        return "float32";
    case DType::Float64:
        return "float64";
    case DType::Float16:
        return "float16";
    case DType::BFloat16:
        return "bfloat16";
    case DType::Int64:
        return "int64";
    case DType::Int32:
        return "int32";
    case DType::Int16:
        return "int16";
    case DType::Int8:
        return "int8";
    case DType::UInt8:
        return "uint8";
    case DType::Bool:
        return "bool";
    }
    return "?";
}

DType dtype_from_name(std::string_view name) {
    struct Alias {
        std::string_view name;
        DType dtype;
    };
    static constexpr Alias aliases[] = {
        {"float32", DType::Float32},   {"float", DType::Float32},   {"float64", DType::Float64},
        {"double", DType::Float64},    {"float16", DType::Float16}, {"half", DType::Float16},
        {"bfloat16", DType::BFloat16}, {"int64", DType::Int64},     {"long", DType::Int64},
        {"int32", DType::Int32},       {"int", DType::Int32},       {"int16", DType::Int16},
        {"short", DType::Int16},       {"int8", DType::Int8},       {"uint8", DType::UInt8},
        {"bool", DType::Bool},
    };
    for (const auto& alias : aliases)
        if (alias.name == name) return alias.dtype;
    throw std::invalid_argument("unknown dtype '" + std::string(name) + "'");
}

bool is_floating_point(DType dtype) {
    return dtype == DType::Float32 || dtype == DType::Float64 || dtype == DType::Float16 ||
           dtype == DType::BFloat16;
}

void throw_unsupported_dtype(DType dtype, const char* op) {
    throw std::invalid_argument(std::string(op) + ": unsupported dtype " +
                                std::string(dtype_name(dtype)));
}

} // namespace nnscope
