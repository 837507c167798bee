#include "io/tensor_role.h"

#include <stdexcept>
#include <string>

namespace nnscope::io {

std::string_view to_string(TensorRole role) {
    switch (role) {
    case TensorRole::Parameter:
        return "parameter";
    case TensorRole::Buffer:
        return "buffer";
    case TensorRole::Unknown:
        break;
    }
    return "unknown";
}

TensorRole parse_tensor_role(std::string_view text) {
    for (const TensorRole role : {TensorRole::Buffer, TensorRole::Parameter, TensorRole::Unknown})
        if (to_string(role) == text) return role;
    throw std::invalid_argument("unknown tensor role '" + std::string(text) +
                                "' (expected parameter, buffer or unknown)");
}

} // namespace nnscope::io
