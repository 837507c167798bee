#pragma once
// The module tree of an ONNX graph: the module each node belongs to, read from the scoped node
// names exporters write; the module holding each initializer, found from the nodes that use it;
// the modules themselves, with the op type of the modules that hold one kind of op; and a note on
// the Convs whose weights torch.onnx computed (a BatchNorm folded in).

#include "io/model_document.h"

#include <string>
#include <string_view>

namespace nnscope::io {

// A node name read as scopes. torch.onnx (1.13 on) writes "/layer1/layer1.0/conv1/Conv": one
// scope per module call from the root, each named by the module's last non-numeric name atom and
// the numeric atoms after it ("layer1.0", "conv.0.0"; torch/onnx/utils.py
// _unqualified_variable_name), a later call of the same module suffixed "_1", "_2" on its last
// scope (naming.cpp UpdateBaseName), the op last: that node lies in "layer1.0.conv1". Other
// exporters write "sequential/dense/MatMul": scopes joined with dots ("sequential.dense"). A
// name with no scope ("Conv_0", "/Relu", "") lies in the root.
struct NodeScope {
    std::string module; // "layer1.0.relu"; "" for the root
    // The suffix of a torch scope that looks like a later call ("_1" of "/layer1/layer1.0/relu_1/
    // Relu"); "" otherwise. Only the graph can tell whether "relu_1" is a second call of "relu"
    // or a module of that name: `module` + `repeat` is the latter.
    std::string repeat;
};
NodeScope node_scope(std::string_view name);

// Fills document.modules (types and arguments included) from document.nodes, sets each node's
// module, and gives each initializer in document.tensors the module of the nodes that use it
// (through Identity nodes): `module` when its name does not say ("onnx::Conv_193"), `used_by`
// when nodes of several modules use it. Throws std::runtime_error for a scope nested deeper
// than max_module_depth.
void build_onnx_module_tree(ModelDocument& document);

} // namespace nnscope::io
