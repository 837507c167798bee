#pragma once
// The module tree of a native model file as JSON (metadata key "nnscope.architecture"):
//   {"type": "Sequential", "children": [["0", {"type": "Linear", "in_features": 784,
//    "out_features": 256, "bias": true}], ...]}
// "type" is PyTorch's class name; every other key except "children" and "tensors" is a
// constructor argument named as PyTorch names it (int, float, bool, string, null, or a list of
// those where PyTorch takes a tuple); "children" lists [name, module] pairs in order and is
// omitted when empty.
//
// "tensors" (omitted when empty) lists the module's own extra tensors in declaration order, as a
// subclass's __init__ would add them after the constructor and the children (declared_tensor.h):
//   "tensors": [
//     {"name": "scale", "kind": "parameter", "shape": [8], "init": "ones"},
//     {"name": "frozen", "kind": "parameter", "shape": [2], "init": "randn",
//      "requires_grad": false},
//     {"name": "mask", "kind": "buffer", "shape": [2, 2], "init": "values",
//      "values": [1, 0, 0, 1]},
//     {"name": "noise", "kind": "buffer", "shape": [3], "dtype": "float64", "init": "rand",
//      "persistent": false}]
// kind: "parameter" (nn.Parameter; "requires_grad", default true) or "buffer" (register_buffer;
// "persistent", default true: false keeps it out of the state_dict and so out of the file's
// tensors, and reopening the file makes it again from its init). dtype: "float32" (default),
// "float64" or "int64". init: "zeros", "ones", "full" (with "value"), "arange"
// (torch.arange(numel).reshape(shape)), "randn", "rand" (drawn from the default generator when
// the module is built, after its children: torch.randn / torch.rand at that point of
// __init__), or "values" (with "values", the elements in row-major order).
// Parsing checks the JSON's structure and each declaration's consistency; whether a type or
// argument exists, and whether a tensor's name is free (PyTorch's "attribute 'x' already
// exists"), is build_module's decision, which reports it with the module's path.

#include "engine/nn/declared_tensor.h"
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
    std::vector<nn::TensorDeclaration> tensors; // the module's own extra tensors, in order

    bool operator==(const ModuleSpec& other) const = default;
};

struct ModuleSpec::Child {
    std::string name;
    ModuleSpec spec;

    bool operator==(const Child& other) const = default;
};

// Throws std::invalid_argument naming the problem and where it is ("children[1][1].type", ...).
ModuleSpec parse_architecture(std::string_view json);
// Compact JSON, keys in the order type, arguments..., tensors, children.
std::string architecture_to_json(const ModuleSpec& spec);

// The spec of a built module tree: type names, arguments, declared tensors and children as the
// modules report them.
ModuleSpec describe_module(const nn::Module& module);

// Builds the tree with the nn factory, children in order, then each module's declared tensors
// (so default initialisation and randn / rand draw from the default generator exactly as
// PyTorch does when building the same tree, see workflows/pytorch_model_export.h). Errors name the
// module's dotted path and type: "module '1.0' (Linear): ...".
std::shared_ptr<nn::Module> build_module(const ModuleSpec& spec);

} // namespace nnscope::io
