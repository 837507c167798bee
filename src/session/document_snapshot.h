#pragma once
// What the window may know about an opened model file: the io::ModelSummary of the document the
// worker keeps (module tree, tensor table, totals; plain values only, no loaders, no tensors) and
// the path it was opened from, shared as std::shared_ptr<const DocumentSnapshot> through queued
// signals.

#include "io/model_summary.h"

#include <QMetaType>
#include <memory>
#include <string>

namespace nnscope::session {

using io::ModuleRow;
using io::TensorRow;
using io::Total;

struct DocumentSnapshot : io::ModelSummary {
    std::string file; // path as opened
};

using DocumentSnapshotPtr = std::shared_ptr<const DocumentSnapshot>;

// Builds the snapshot (io::summarize): module paths the document does not list but tensor names
// imply are added (without a type), so every tensor has a module; a tensor listed twice under one
// name counts once, and so do names that view the same bytes the same way
// (io::TensorEntry::storage).
DocumentSnapshot make_document_snapshot(const io::ModelDocument& document, const std::string& file);

} // namespace nnscope::session

Q_DECLARE_METATYPE(nnscope::session::DocumentSnapshotPtr)
