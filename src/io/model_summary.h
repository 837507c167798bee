#pragma once
// What a reader (a person, the window, `nnscope-cli summary`) learns about a model file without
// loading a tensor: its module tree with parameter counts, its tensor table and the totals, made
// once from an io::ModelDocument. Plain values only (this header declares no tensor and no
// loader); the session wraps it for the window, the CLI prints it. A tensor under several names
// (tied weights) is counted once everywhere, as in sum(p.numel() for p in module.parameters()).

#include "io/model_format.h"
#include "io/tensor_role.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::io {

struct ModelDocument;

struct ModuleRow {
    std::string path; // dotted path; "" for the root
    std::string name; // last component of the path; "" for the root
    std::string type; // "" when the file does not say
    // True when `type` was guessed from the tensor names and shapes rather than read from the
    // file; `type_reason` then says why ("weight [64, 3, 7, 7]: a 2-D convolution").
    bool type_inferred = false;
    std::string type_reason;
    std::string arguments;
    int parent = -1;           // index into ModelSummary::modules; -1 for the root
    std::vector<int> children; // indices, in file order
    std::vector<int> tensors;  // indices into ModelSummary::tensors held directly
    // Elements of the parameters held directly, and of those held by the module and its
    // descendants; a tensor under two names counts once in each module holding both.
    std::int64_t own_parameters = 0;
    std::int64_t total_parameters = 0;
    bool has_parameters = false; // a parameter (even an empty one) lies in this subtree
};

struct TensorRow {
    std::string name;   // full dotted path
    std::string module; // path of the module holding it (TensorEntry::module, else its name's)
    std::vector<std::int64_t> shape;
    // PyTorch's name ("float32"), or the file's own name for an element type nnscope has no
    // DType for ("uint16"; TensorEntry::stored_dtype).
    std::string dtype;
    std::int64_t numel = 0;
    std::int64_t bytes = 0;
    TensorRole role = TensorRole::Unknown;
    bool role_inferred = false;
    std::optional<bool> requires_grad;
    std::optional<bool> persistent;
    // The first listed tensor whose bytes, offset, shape and strides this one shares (tied
    // weights); "" when it has its own. Such a tensor is counted once, under that first name.
    std::string shares_with;
    // The modules using this tensor when several do (ModelDocument: an ONNX initializer read by
    // nodes of several modules); it is counted once, in `module`. Empty otherwise.
    std::vector<std::string> used_by;
};

struct Total {
    std::int64_t tensors = 0;
    std::int64_t elements = 0;
    std::int64_t bytes = 0;
};

struct ModelSummary {
    ModelFormat format = ModelFormat::Safetensors;
    std::vector<ModuleRow> modules; // modules[0] is the root; a parent comes before its children
    // The modules the file itself lists (ModelDocument::modules), in its order, as indices into
    // `modules`; the others were implied by tensor names or are the root.
    std::vector<int> listed_modules;
    std::vector<TensorRow> tensors; // file order; a name repeated in the file is listed once
    // Totals count a tensor under several names once; `shared_names` counts the extra names.
    std::map<TensorRole, Total> by_role;
    std::map<std::string, Total> by_dtype;
    Total total;
    std::int64_t shared_names = 0;
    // Elements of the parameters the file marks requires_grad (native models, TorchScript).
    std::int64_t trainable_parameters = 0;
    std::map<std::string, std::string> metadata;

    int module_index(const std::string& path) const; // -1 when absent
    Total role_total(TensorRole role) const;         // zeros when the role has no tensor
};

// Builds the summary. Module paths the document does not list but tensor names imply are added
// (without a type), so every tensor has a module; the root takes its type from the metadata key
// "nnscope.root_type" when present. Linear in the total length of the names.
ModelSummary summarize(const ModelDocument& document);

} // namespace nnscope::io
