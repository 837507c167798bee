#pragma once
// What a tensor is to its module: a parameter (learned), a buffer (state such as running_mean)
// or unknown (the file does not say and its name cannot tell, e.g. an optimizer's state); or, for
// a tensor a run of the model computed rather than one a file stores (issue #16's Run panel), the
// module's output or the gradient of that output. Turned into text only where users or files
// see it: JSON, the CLI and the window.

#include <cstdint>
#include <string>
#include <string_view>

namespace nnscope::io {

// In alphabetical order, the order in which tables list them.
enum class TensorRole : std::uint8_t { Buffer, Output, OutputGradient, Parameter, Unknown };

// "parameter", "buffer", "unknown", "output", "output gradient".
std::string_view to_string(TensorRole role);

// The role of a tensor of `module` (a dotted path, "" the whole model) in words: "output of
// layer1.0", "gradient of layer1.0's output", "output of the model"; to_string for the roles of
// stored tensors.
std::string describe_role(TensorRole role, std::string_view module);

// The inverse of to_string; throws std::invalid_argument naming the text for anything else.
TensorRole parse_tensor_role(std::string_view text);

} // namespace nnscope::io
