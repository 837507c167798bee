#pragma once
// What a model file holds, whatever its format: the module tree (when the file has one), every
// tensor under its path with shape, dtype and role, and the file's plain values. Tensor data is
// loaded only when asked for, so opening even a large file costs only its header or pickle.

#include "engine/tensor.h"
#include "io/model_format.h"
#include "io/tensor_role.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nnscope::io {

struct TensorEntry {
    std::string name; // dotted path: "layer1.0.conv.weight", "optimizer.state.0.exp_avg"
    Shape shape;
    DType dtype = DType::Float32;
    TensorRole role = TensorRole::Unknown;
    bool role_inferred = false; // guessed from the name/dtype rather than read from the file
    // Known only for formats that record them (native models): a parameter's requires_grad and a
    // buffer's persistence.
    std::optional<bool> requires_grad;
    std::optional<bool> persistent;
    // The file's own name for an element type nnscope has no DType for (ONNX "string", "uint16",
    // "complex64", ...); empty otherwise. When set, `dtype` means nothing and load() either throws
    // or (safetensors' unsigned integers) returns the values widened to a dtype that holds them.
    std::string stored_dtype;
    // Where the data lives, for formats in which two names can view the same bytes (PyTorch
    // pickles: the storage record): entries with equal `storage`, `storage_offset`, dtype, shape
    // and `strides` are one tensor under two names (tied weights). "" when the format cannot say.
    std::string storage;
    std::int64_t storage_offset = 0; // in elements
    Shape strides;
    // The module holding the tensor when its name does not say: an ONNX initializer named
    // "onnx::Conv_193" lies in the module of the Conv using it. Absent: the dotted name says.
    std::optional<std::string> module;
    // The modules using the tensor when several do (an ONNX initializer read by nodes of several
    // modules), in graph order; empty otherwise. It is still one tensor, counted once.
    std::vector<std::string> used_by;
    // Reads the data from the file, into memory of its own where the file's bytes are not in
    // memory already. Throws on failure, FileChangedError when the file changed since it opened.
    std::function<Tensor()> load;
};

// A node of a computation graph (ONNX), in the file's (topological) order.
struct GraphNode {
    std::string name;    // may be empty: names are optional in ONNX
    std::string op_type; // "Conv", "Gemm", ...
    std::string domain;  // operator set domain; "" is the default ai.onnx
    std::string module;  // the module path the node belongs to ("features.0"); "" for the root
    std::vector<std::string> inputs; // value names; "" marks an omitted optional input
    std::vector<std::string> outputs;
    // Attributes in file order, each value as readable text: "3" (int), "0.1" (float),
    // "[1, 1]" (ints), "'NOTSET'" (string), "tensor int64 [1] = [0]" (small tensors show their
    // values), "graph 'then_branch' (3 nodes)" (subgraphs are summarised, not expanded).
    std::vector<std::pair<std::string, std::string>> attributes;
};

// A graph input or output: its name, element type (PyTorch's dtype names where one exists, the
// file's otherwise) and dimensions as text: a number, a symbolic name ("batch") or "?".
struct GraphValue {
    std::string name;
    std::string type; // "float32", "int64", "sequence", ... or "" if unknown
    std::optional<std::vector<std::string>> shape; // absent when even the rank is unknown
};

struct ModelDocument {
    ModelFormat format = ModelFormat::Safetensors;
    // Module paths in file order with their type; the type is "" when the file does not say.
    std::vector<std::pair<std::string, std::string>> modules;
    // Constructor arguments by module path ("in_features=784, out_features=512, bias=True") for
    // formats that know them; absent otherwise.
    std::map<std::string, std::string> module_arguments;
    // Types guessed from tensor names and shapes for modules the file gives no type (a plain
    // state_dict): module path -> the reason ("weight [64, 3, 7, 7]: a 2-D convolution"). The
    // guessed type itself is in `modules`; a path listed here marks it as inferred, never a fact.
    std::map<std::string, std::string> inferred_types;
    std::vector<TensorEntry> tensors;
    // Plain values by path ("epoch" -> "42", "optimizer.param_groups.0.lr" -> "0.01") and notes
    // about the file itself.
    std::map<std::string, std::string> metadata;
    // Formats with a computation graph (ONNX) only; empty otherwise. For ONNX, `modules` are the
    // scopes of the node names ("/layer1/layer1.0/conv1/Conv" lies in module "layer1.0.conv1";
    // onnx/onnx_tree.h), or the dotted initializer names when nodes have no scoped names. A
    // module with no submodule whose nodes are all one op takes that op_type as its type and the
    // first node's attributes as its module_arguments ("kernel_shape=[3, 3], pads=[1, 1, 1, 1]");
    // other modules have type "". `tensors` are the initializers (roles inferred from their
    // names, as for a state_dict), each in the module of the nodes using it.
    std::vector<GraphNode> nodes;
    std::vector<GraphValue> graph_inputs; // initializers listed as inputs (IR < 4) left out
    std::vector<GraphValue> graph_outputs;

    const TensorEntry* find(std::string_view name) const; // nullptr when absent
};

// Role of a state_dict entry judged from its name, dtype and shape alone (always inferred): known
// buffer names (running_*, num_batches_tracked, position_ids, token_type_ids, mask, *_mask,
// *_buffer, *_cached, ...) and a "bias" of two or more dimensions (GPT-2's causal mask) are
// buffers, other floating-point tensors parameters, non-floating tensors buffers (a parameter must
// be floating point). Without the shape only the name and dtype count.
TensorRole infer_state_dict_role(std::string_view name, DType dtype, const Shape& shape = {});

// Module paths nest at most this deep. Each level of a dotted name is a module path of its own, so
// without a limit a name of n dots (one hostile file of a few hundred KB) would ask for n paths
// of up to n bytes each: gigabytes, and as long to build. No real model comes near.
inline constexpr std::size_t max_module_depth = 128;

// Throws std::runtime_error when the dotted `path` has more than max_module_depth parts; `what`
// says what the path is ("tensor", "node scope"), the message shows its start.
void check_module_depth(std::string_view path, std::string_view what);

// Equal for two entries that view the same bytes in the same way (tied weights: one tensor under
// two names); "" when the format cannot say.
std::string view_identity(const TensorEntry& entry);

// The module paths that dotted tensor names imply ("a.b.weight" -> "a", "a.b"), in first-seen
// order, with no type. The root module is not listed. Throws (check_module_depth) for a name
// nested deeper than max_module_depth.
std::vector<std::pair<std::string, std::string>>
modules_from_tensor_names(const std::vector<TensorEntry>& tensors);

} // namespace nnscope::io
