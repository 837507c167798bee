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

#include <string>
#include <string_view>
#include <vector>

namespace nnscope::nn {

ModulePtr make_module(std::string_view type_name, const Arguments& arguments = {});
// Every type name make_module knows, sorted.
std::vector<std::string> module_type_names();
// The argument names a type accepts, in PyTorch's order; throws for an unknown type.
std::vector<std::string> module_argument_names(std::string_view type_name);

// What a constructor argument takes, for a form that edits it: an int, a float (an int is
// accepted and kept, as Python would), a bool, a str, an int or a tuple of ints (kernel_size,
// normalized_shape ...), or a list of floats (a loss's class weight, a Tensor in PyTorch).
enum class ArgumentKind { Int, Float, Bool, String, IntOrTuple, FloatList };
std::string_view argument_kind_name(ArgumentKind kind); // "int", "float", ..., "int or tuple"

// One constructor argument as make_module reads it. default_value is PyTorch 1.13's default
// (what make_module uses when the argument is left out; None for a required one).
struct ArgumentSpec {
    std::string name;
    ArgumentKind kind = ArgumentKind::Int;
    Value default_value;
    bool required = false;
    bool accepts_none = false;   // Optional[...]: None is a valid value (Softmax's dim ...)
    bool accepts_string = false; // also a str ("same" / "valid" for a Conv's padding)

    bool operator==(const ArgumentSpec& other) const = default;
};

// The arguments a type accepts with their kinds and defaults, in the order of
// module_argument_names (the same list: make_module reads its defaults from it); throws for an
// unknown type.
std::vector<ArgumentSpec> module_argument_specs(std::string_view type_name);

// Sequential, ModuleList and ModuleDict: the types that hold children (ModuleDict by name).
bool is_container_type(std::string_view type_name);

} // namespace nnscope::nn
