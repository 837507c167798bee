#pragma once
// The module tree of a native model file as JSON (metadata key "nnscope.architecture"):
//   {"type": "Sequential", "children": [["0", {"type": "Linear", "in_features": 784,
//    "out_features": 256, "bias": true}], ...]}
// "type" is PyTorch's class name; every other key except "children" is a constructor argument
// named as PyTorch names it (int, float, bool, string, null, or a list of those where PyTorch
// takes a tuple); "children" lists [name, module] pairs in order and is omitted when empty.
// Parsing checks the JSON's structure; whether a type or argument exists is the module
// factory's decision (build_module), which reports it with the module's path.

#include "engine/nn/value.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::nn {
class Module;
}

namespace nnscope::io {

struct ModuleSpec {
    // Defined below: a vector<pair<string, ModuleSpec>> here would make clang instantiate the
    // pair for the defaulted operator== while ModuleSpec is still incomplete.
    struct Child;

    std::string type;
    nn::Arguments arguments; // in the order the JSON gives them
    std::vector<Child> children;

    bool operator==(const ModuleSpec& other) const = default;
};

struct ModuleSpec::Child {
    std::string name;
    ModuleSpec spec;

    bool operator==(const Child& other) const = default;
};

// Throws std::invalid_argument naming the problem and where it is ("children[1][1].type", ...).
ModuleSpec parse_architecture(std::string_view json);
// Compact JSON, keys in the order type, arguments..., children.
std::string architecture_to_json(const ModuleSpec& spec);

// The spec of a built module tree: type names, arguments and children as the modules report
// them.
ModuleSpec describe_module(const nn::Module& module);

// Builds the tree with the nn factory, children in order (so default initialisation draws from
// the default generator exactly as PyTorch does when building the same tree). Errors name the
// module's dotted path and type: "module '1.0' (Linear): ...".
std::shared_ptr<nn::Module> build_module(const ModuleSpec& spec);

} // namespace nnscope::io
