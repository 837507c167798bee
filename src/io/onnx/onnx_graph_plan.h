#pragma once
// The checked plan of an ONNX graph that onnx_graph_module.cpp turns into modules: nodes in an
// order that runs (topologically sorted), each with its kernel from the operator registry, the
// initializers loaded, and the graph's inputs and outputs. Everything that would refuse the graph
// is found here, before anything runs.

#include "engine/tensor.h"
#include "io/onnx/onnx_ops.h"

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace nnscope::io::detail {

struct NodePlan {
    std::string name; // the node's name, or "<op_type>_<index>" when it has none
    std::string op_type;
    std::string scope;                     // module path of the browser's ONNX tree
    std::vector<std::string> input_names;  // "" for an absent optional input
    std::vector<std::string> output_names; // "" for an unused optional output
    std::vector<std::size_t> dynamic;      // inputs computed at run time, in call order
    onnx_ops::Kernel kernel;
};

struct GraphInput {
    std::string name;
    std::optional<DType> dtype;                    // from the graph's type, when known
    std::vector<std::optional<std::int64_t>> dims; // fixed dims; nullopt for a symbolic one
    bool has_shape = false;
};

struct GraphPlan {
    std::vector<GraphInput> inputs;
    std::vector<std::string> outputs;
    std::vector<NodePlan> nodes;
    std::unordered_map<std::string, Tensor> initializers;
    bool float64 = false;
};

// Throws std::runtime_error naming the file and every problem (unsupported nodes all at once).
GraphPlan plan_onnx_graph(const std::filesystem::path& path, bool float64);

// Throws std::runtime_error naming the input when `value` does not fit its declared rank or dims.
void check_graph_input(const GraphInput& input, const Tensor& value);

} // namespace nnscope::io::detail
