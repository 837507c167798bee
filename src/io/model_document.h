#pragma once
// What a model file holds, whatever its format: the module tree (when the file has one), every
// tensor under its path with shape, dtype and role, and the file's plain values. Tensor data is
// loaded only when asked for, so opening even a large file costs only its header or pickle.

#include "engine/tensor.h"

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
    std::string role = "unknown"; // "parameter", "buffer" or "unknown"
    bool role_inferred = false;   // guessed from the name/dtype rather than read from the file
    // Known only for formats that record them (native models): a parameter's requires_grad and a
    // buffer's persistence.
    std::optional<bool> requires_grad;
    std::optional<bool> persistent;
    // Reads the data (a view of the memory-mapped file where possible). Throws on failure.
    std::function<Tensor()> load;
};

struct ModelDocument {
    std::string format; // "pytorch-zip", "pytorch-legacy", "torchscript", ...
    // Module paths in file order with their type; the type is "" when the file does not say.
    std::vector<std::pair<std::string, std::string>> modules;
    // Constructor arguments by module path ("in_features=784, out_features=512, bias=True") for
    // formats that know them; absent otherwise.
    std::map<std::string, std::string> module_arguments;
    std::vector<TensorEntry> tensors;
    // Plain values by path ("epoch" -> "42", "optimizer.param_groups.0.lr" -> "0.01") and notes
    // about the file itself.
    std::map<std::string, std::string> metadata;

    const TensorEntry* find(std::string_view name) const; // nullptr when absent
};

// Role of a state_dict entry judged from its name and dtype alone (always inferred): known buffer
// names (running_mean, running_var, num_batches_tracked, ...) are buffers, other floating-point
// tensors parameters, non-floating tensors buffers (a parameter must be floating point).
std::string infer_state_dict_role(std::string_view name, DType dtype);

// The module paths that dotted tensor names imply ("a.b.weight" -> "a", "a.b"), in first-seen
// order, with no type. The root module is not listed.
std::vector<std::pair<std::string, std::string>>
modules_from_tensor_names(const std::vector<TensorEntry>& tensors);

} // namespace nnscope::io
