#pragma once
// What the window may know about an opened model file: a read-only copy of its module tree, its
// tensor table and its totals, made in the worker thread from the io::ModelDocument it keeps.
// Plain values only (no loaders, no tensors), shared as std::shared_ptr<const DocumentSnapshot>
// through queued signals.

#include "io/model_document.h"

#include <QMetaType>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::session {

struct ModuleRow {
    std::string path; // dotted path; "" for the root
    std::string name; // last component of the path; "" for the root
    std::string type; // "" when the file does not say
    std::string arguments;
    int parent = -1;           // index into DocumentSnapshot::modules; -1 for the root
    std::vector<int> children; // indices, in file order
    std::vector<int> tensors;  // indices into DocumentSnapshot::tensors held directly
    // Elements of the parameters held directly, and of those held by the module and its
    // descendants; a tensor under two names counts once, as in sum(p.numel() for p in
    // module.parameters()).
    std::int64_t own_parameters = 0;
    std::int64_t total_parameters = 0;
};

struct TensorRow {
    std::string name;   // full dotted path
    std::string module; // path of the module holding it
    std::vector<std::int64_t> shape;
    std::string dtype;
    std::int64_t numel = 0;
    std::int64_t bytes = 0;
    std::string role; // "parameter", "buffer" or "unknown"
    bool role_inferred = false;
    std::optional<bool> requires_grad;
    std::optional<bool> persistent;
    // The first listed tensor whose bytes, offset, shape and strides this one shares (tied
    // weights); "" when it has its own. Such a tensor is counted once, under that first name.
    std::string shares_with;
};

struct Total {
    std::int64_t tensors = 0;
    std::int64_t elements = 0;
    std::int64_t bytes = 0;
};

struct DocumentSnapshot {
    std::string file; // path as opened
    std::string format;
    std::vector<ModuleRow> modules; // modules[0] is the root
    std::vector<TensorRow> tensors; // file order
    // Totals count a tensor under several names once; `shared_names` counts the extra names.
    std::map<std::string, Total> by_role;
    std::map<std::string, Total> by_dtype;
    Total total;
    std::int64_t shared_names = 0;
    std::map<std::string, std::string> metadata;

    int module_index(const std::string& path) const; // -1 when absent
};

using DocumentSnapshotPtr = std::shared_ptr<const DocumentSnapshot>;

// Builds the snapshot. Module paths the document does not list but tensor names imply are added
// (without a type), so every tensor has a module; a tensor listed twice under one name counts once,
// and so do names that view the same bytes the same way (io::TensorEntry::storage).
DocumentSnapshot make_document_snapshot(const io::ModelDocument& document, const std::string& file);

} // namespace nnscope::session

Q_DECLARE_METATYPE(nnscope::session::DocumentSnapshotPtr)
