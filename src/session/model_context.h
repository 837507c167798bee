#pragma once
// What the browser's job kinds share in the worker thread: the opened document (the open job
// replaces it, the statistics and snapshot jobs read it) and the statistics a snapshot already
// computed (the statistics job takes them instead of reading the tensor again). Given to the three
// kinds when they are registered; the generic job code never sees it.

#include "io/model_document.h"
#include "session/tensor_snapshot.h"

#include <QtGlobal>
#include <map>
#include <memory>
#include <string>

namespace nnscope::session {

struct ModelContext {
    quint64 document_id = 0; // the generation of the open request that produced `document`
    std::shared_ptr<io::ModelDocument> document;
    std::map<std::string, TensorStats> stats_from_snapshots; // by tensor name, this document's
};
using ModelContextPtr = std::shared_ptr<ModelContext>;

} // namespace nnscope::session
