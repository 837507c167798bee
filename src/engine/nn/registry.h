#pragma once
// Builds modules by PyTorch class name and keyword arguments, for the model file reader and the
// GUI: make_module("Linear", {{"in_features", 784}, {"out_features", 256}}). Arguments are
// checked: an unknown type, an unknown or repeated argument, a missing required one or a value
// of the wrong type throws std::invalid_argument naming the type and the argument. Arguments
// left out take PyTorch's defaults. Containers are built empty; add their children with
// register_module (Sequential/ModuleList children are named "0", "1", ...).
//
// For every module m, make_module(m.type_name(), m.arguments()) builds an equivalent module
// (with freshly initialised parameters).

#include "engine/nn/module.h"

#include <string_view>
#include <vector>

namespace nnscope::nn {

ModulePtr make_module(std::string_view type_name, const Arguments& arguments = {});
// Every type name make_module knows, sorted.
std::vector<std::string> module_type_names();
// The argument names a type accepts, in PyTorch's order; throws for an unknown type.
std::vector<std::string> module_argument_names(std::string_view type_name);

} // namespace nnscope::nn
