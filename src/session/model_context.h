#pragma once
// What the browser's job kinds share in the worker thread: the opened document (the open job
// replaces it, the statistics and snapshot jobs read it), the identity of its file when it was
// opened (jobs refuse to show data of a file that changed since), and the statistics a snapshot
// already computed (the statistics job takes them instead of reading the tensor again). Given to
// the three kinds when they are registered; the generic job code never sees it.

#include "io/file_identity.h"
#include "io/model_document.h"
#include "session/tensor_snapshot.h"

#include <QString>
#include <QtGlobal>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace nnscope::session {

struct ModelContext {
    quint64 document_id = 0; // the generation of the open request that produced `document`
    std::shared_ptr<io::ModelDocument> document;
    std::filesystem::path path; // of `document`
    io::FileIdentity identity;  // of `path` when `document` was read from it
    std::map<std::string, TensorStats> stats_from_snapshots; // by tensor name, this document's
};

// What changed, as FileChangedError says it, when the file at `context.path` is no longer the one
// the document was read from (truncated, rewritten, replaced or deleted); nullopt otherwise. One
// stat(): cheap enough for every tensor a job reads.
inline std::optional<std::string> change_on_disk(const ModelContext& context) {
    if (context.path.empty()) return std::nullopt; // a document not read from a file
    const auto now = io::FileIdentity::of(context.path);
    if (now && *now == context.identity) return std::nullopt;
    return io::describe_file_change(context.path, context.identity, now);
}

// The tensor a request about one tensor names, looked up the same way by every such job: nothing
// to do (entry null, problem empty) when the request is about another document than the one open;
// a problem to report when the document has no such tensor or its file changed on disk.
struct TensorLookup {
    const io::TensorEntry* entry = nullptr;
    std::string problem;
    bool file_changed = false;
};

inline TensorLookup find_tensor(const ModelContext& context, quint64 document,
                                const std::string& tensor) {
    if (!context.document || document != context.document_id) return {}; // another document
    const io::TensorEntry* entry = context.document->find(tensor);
    if (!entry) return {nullptr, "no tensor named " + tensor};
    if (auto change = change_on_disk(context)) return {nullptr, std::move(*change), true};
    return {entry, {}, false};
}

// Sent by a job that found the file changed on disk: it stops rather than show data that is no
// longer the file's.
struct FileChanged {
    QString message;
};

using ModelContextPtr = std::shared_ptr<ModelContext>;

} // namespace nnscope::session
