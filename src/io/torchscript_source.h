#pragma once
// What a TorchScript class's printed source says about a module's constructor arguments, read
// as text (the source is never run):
//   - scripted classes keep torch.nn's __constants__ as `name : Final[T] = literal` lines;
//   - traced classes keep them only as the literal arguments of the op their forward calls,
//     e.g. torch._convolution(input, weight, bias, [2, 2], [1, 1], [1, 1], False, ...).

#include "engine/nn/value.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::io {

// A Python literal as TorchScript prints it: None, True/False, ints, floats, "strings", and
// tuples and lists of them. nullopt for anything else (a variable name, a call).
std::optional<nn::Value> parse_script_literal(std::string_view text);

// The `name : Final[T] = literal` lines of a class body, in order.
nn::Arguments script_constants(std::string_view class_body);

// The arguments of the first call of `op` ("torch.max_pool2d") in a class body, each parsed as
// a literal (nullopt for a variable); nullopt when the body does not call `op`.
std::optional<std::vector<std::optional<nn::Value>>> script_call_arguments(std::string_view body,
                                                                           std::string_view op);

} // namespace nnscope::io
