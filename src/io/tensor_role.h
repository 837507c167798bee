#pragma once
// What a tensor is to its module: a parameter (learned), a buffer (state such as running_mean)
// or unknown (the file does not say and its name cannot tell, e.g. an optimizer's state). Turned
// into text only where users or files see it: JSON, the CLI and the window.

#include <cstdint>
#include <string_view>

namespace nnscope::io {

// In alphabetical order, the order in which tables list them.
enum class TensorRole : std::uint8_t { Buffer, Parameter, Unknown };

// "parameter", "buffer", "unknown".
std::string_view to_string(TensorRole role);

// The inverse of to_string; throws std::invalid_argument naming the text for anything else.
TensorRole parse_tensor_role(std::string_view text);

} // namespace nnscope::io
