#pragma once
// Internal: PyTorch's C++ ScalarType names ("Float", "Long", ...), which its error messages use
// ("expected scalar type Long but found Int"); messages that mimic them use these.

#include "engine/dtype.h"

#include <string_view>

namespace nnscope::detail {

inline std::string_view scalar_type_name(DType dtype) {
    switch (dtype) {
    case DType::Float32:
        return "Float";
    case DType::Float64:
        return "Double";
    case DType::Float16:
        return "Half";
    case DType::BFloat16:
        return "BFloat16";
    case DType::Int64:
        return "Long";
    case DType::Int32:
        return "Int";
    case DType::Int16:
        return "Short";
    case DType::Int8:
        return "Char";
    case DType::UInt8:
        return "Byte";
    case DType::Bool:
        return "Bool";
    }
    return "Unknown";
}

} // namespace nnscope::detail
