#include "session/slice_job.h"

#include <exception>

namespace nnscope::session {

Step SliceJob::begin(const TensorSliceRequest& request, const JobRun& run) {
    const QString name = QString::fromStdString(request.tensor);
    if (!context_->document || request.document != context_->document_id)
        return Step::Done; // asked about another document
    const io::TensorEntry* entry = context_->document->find(request.tensor);
    if (!entry) {
        send(run, SliceFailed{name, tr("no tensor named %1").arg(name), request.tag});
        return Step::Done;
    }
    try {
        send(run, TensorSlice{entry->name, make_tensor_slice(entry->load(), request.slice),
                              request.tag});
    } catch (const std::exception& e) {
        send(run, SliceFailed{name, QString::fromStdString(e.what()), request.tag});
    }
    return Step::Done;
}

} // namespace nnscope::session
