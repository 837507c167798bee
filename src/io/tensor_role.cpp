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
    case TensorRole::Output:
        return "output";
    case TensorRole::OutputGradient:
        return "output gradient";
    case TensorRole::Unknown:
        break;
    }
    return "unknown";
}

TensorRole parse_tensor_role(std::string_view text) {
    for (const TensorRole role :
         {TensorRole::Buffer, TensorRole::Output, TensorRole::OutputGradient, TensorRole::Parameter,
          TensorRole::Unknown})
        if (to_string(role) == text) return role;
    throw std::invalid_argument("unknown tensor role '" + std::string(text) +
                                "' (expected parameter, buffer, unknown, output or output "
                                "gradient)");
}

std::string describe_role(TensorRole role, std::string_view module) {
    const std::string owner = module.empty() ? "the model" : std::string(module);
    switch (role) {
    case TensorRole::Output:
        return "output of " + owner;
    case TensorRole::OutputGradient:
        return "gradient of " + owner + "'s output";
    case TensorRole::Buffer:
    case TensorRole::Parameter:
    case TensorRole::Unknown:
        break;
    }
    return std::string(to_string(role));
}

} // namespace nnscope::io
