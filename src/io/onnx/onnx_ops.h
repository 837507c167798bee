#pragma once
// The ONNX operators the engine runs: a registry from op type to a builder. A builder reads the
// node's attributes and input forms when the graph loads, throws Unsupported for anything outside
// the supported set, and returns the computation as a kernel over engine ops (so the engine's
// autograd gives the gradients). Operators live in files by family (ops_math, ops_nn, ops_shape,
// ops_recurrent); each family registers its builders here.

#include "engine/tensor.h"

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace onnx {
class AttributeProto;
class NodeProto;
} // namespace onnx

namespace nnscope::io::onnx_ops {

// A node (attribute, input form, opset) outside the supported set; the graph's loader collects
// one per node and refuses the graph with all of them.
struct Unsupported : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A node's attributes by name.
class Attributes {
public:
    explicit Attributes(const onnx::NodeProto& node)
        : node_(node) {}
    bool has(const std::string& name) const { return find(name) != nullptr; }
    std::int64_t i(const std::string& name, std::int64_t fallback) const;
    double f(const std::string& name, double fallback) const;
    std::string s(const std::string& name, const std::string& fallback) const;
    std::vector<std::int64_t> ints(const std::string& name,
                                   std::vector<std::int64_t> fallback = {}) const;
    std::vector<double> floats(const std::string& name) const;
    std::vector<std::string> strings(const std::string& name) const;
    Tensor t(const std::string& name) const; // a TENSOR attribute's value
    // Throws Unsupported naming each attribute of the node not in `known`.
    void allow_only(std::initializer_list<const char*> known) const;

private:
    const onnx::AttributeProto* find(const std::string& name) const;
    const onnx::AttributeProto& get(const std::string& name, int type) const;
    const onnx::NodeProto& node_;
};

// What a builder knows about its node.
struct NodeInfo {
    const onnx::NodeProto& proto;
    Attributes attrs;
    int opset = 0;             // of the default domain
    bool float64 = false;      // run floating point in double
    std::size_t inputs = 0;    // the node's input count, absent optional inputs ("") included
    std::size_t outputs = 0;   // its output count
    std::vector<bool> present; // present[i]: input i is named
    // What the graph declares of each input (graph inputs, initializers, value_info), when it does.
    std::vector<std::optional<DType>> input_types;
    std::vector<int> input_ranks; // -1 when unknown

    bool has_input(std::size_t i) const { return i < inputs && present[i]; }
    DType float_type() const { return float64 ? DType::Float64 : DType::Float32; }
    // Throws Unsupported when input i is present (an input form we do not run).
    void refuse_input(std::size_t i, const std::string& what) const;
    void refuse_outputs_beyond(std::size_t n) const;
    // Throws Unsupported when input i is declared with a rank outside [lo, hi].
    void require_rank(std::size_t i, int lo, int hi) const;
    // Throws Unsupported when input i is declared with a dtype that is not floating point.
    void require_floating(std::size_t i) const;
};

using Values = std::vector<Tensor>; // absent optional inputs are undefined tensors
using Kernel = std::function<Values(const Values& inputs)>;
using Builder = Kernel (*)(const NodeInfo& node);
using Registry = std::unordered_map<std::string, Builder>;

// The builder for op_type of the default domain, or null.
Builder find_builder(const std::string& op_type);

void register_math_ops(Registry& registry);
void register_nn_ops(Registry& registry);
void register_shape_ops(Registry& registry);
void register_recurrent_ops(Registry& registry);
void register_einsum_op(Registry& registry);
void register_resize_op(Registry& registry);

// --- helpers the families share ----------------------------------------------------------
// The values of an integer (or any) tensor, e.g. a Reshape's shape input.
std::vector<std::int64_t> ints_of(const Tensor& t);
// Wraps a possibly negative axis into [0, rank); throws naming the op when out of range.
std::int64_t axis_of(std::int64_t axis, std::int64_t rank, const char* op);
// A floating tensor converted to the node's float type (float64 mode); others unchanged.
Tensor as_run_type(const Tensor& t, const NodeInfo& node);
// x padded per ONNX's pads layout (begins of every padded dim, then ends; the last
// pads.size()/2 dims, or all dims when the sizes match), with `value`; negative pads crop.
Tensor pad_constant(const Tensor& x, const std::vector<std::int64_t>& pads, double value);
// The maximum over `dims` (ascending), one dim at a time from the last.
Tensor max_over(const Tensor& x, const Shape& dims, bool keepdim);
// Input i of a node, refusing (at run time, with a clear message) an absent one.
const Tensor& need(const Values& in, std::size_t i, const char* op);

} // namespace nnscope::io::onnx_ops
