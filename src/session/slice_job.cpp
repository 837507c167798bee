#include "session/slice_job.h"

#include <exception>

namespace nnscope::session {

Step SliceJob::begin(const TensorSliceRequest& request, const JobRun& run) {
    const QString name = QString::fromStdString(request.tensor);
    // A file replaced by rename still reads its old bytes: refuse them as the snapshot does.
    const TensorLookup found = find_tensor(*context_, request.document, request.tensor);
    if (!found.entry) {
        if (!found.problem.empty())
            send(run, SliceFailed{name, QString::fromStdString(found.problem), request.tag});
        return Step::Done;
    }
    const io::TensorEntry* entry = found.entry;
    try {
        send(run, TensorSlice{entry->name, make_tensor_slice(entry->load(), request.slice),
                              request.tag});
    } catch (const std::exception& e) {
        send(run, SliceFailed{name, QString::fromStdString(e.what()), request.tag});
    }
    return Step::Done;
}

} // namespace nnscope::session
