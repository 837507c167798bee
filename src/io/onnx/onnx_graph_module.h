#pragma once
// An ONNX model as an engine module: the graph runs node by node on engine ops, so the autograd
// gives gradients of the outputs with respect to the inputs and initializers.
//   - forward_inputs takes the graph's inputs (initializers listed as inputs left out) in order
//     and returns its first output; every output is kept for outputs().
//   - Every node is a child module of its own (its type_name() is the node's op_type), so forward
//     and full backward hooks fire per node; onnx_node_scope() names the module of the browser's
//     ONNX module tree (GraphNode::module) the node lies in.
//   - Initializers of floating point become parameters of the node module that uses them first,
//     others buffers.
// Loading refuses a graph with any operator, attribute or input form outside the supported set
// before anything runs, with one message listing every such node by name and op type.

#include "engine/nn/module.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::io {

struct OnnxRunOptions {
    // Run the graph in double: floating initializers, constants, casts and inputs become
    // float64 (for gradient checks where float32 kinks flip entries).
    bool float64 = false;
};

// Throws std::runtime_error naming the file and the problem.
std::shared_ptr<nn::Module> load_onnx_module(const std::filesystem::path& path,
                                             const OnnxRunOptions& options = {});

// For a node module of such a graph: the module path of the browser's ONNX tree its node lies in
// ("" for the root); std::nullopt for any other module.
std::optional<std::string> onnx_node_scope(const nn::Module& module);

// For the root module of such a graph: every graph output of the last forward, in the graph's
// order; std::nullopt for any other module.
std::optional<std::vector<Tensor>> onnx_graph_outputs(const nn::Module& module);
// The graph's input names in forward order (initializers left out); empty for other modules.
std::vector<std::string> onnx_graph_input_names(const nn::Module& module);

} // namespace nnscope::io
