#pragma once
// Job kind: the snapshot of one tensor of the opened document (statistics, histogram, one 2-D
// slice, kernels). Urgent: the user waits for it, so a running statistics job yields until it is
// done. Its statistics go to the ModelContext so that the statistics job does not read the same
// tensor again. A file changed on disk since it was opened fails the request (file_changed), even
// when the bytes could still be read (a replaced file): they are no longer what the file holds.

#include "session/job.h"
#include "session/model_context.h"
#include "session/tensor_snapshot.h"

#include <QCoreApplication>
#include <QString>
#include <string>

namespace nnscope::session {

struct TensorSnapshotRequest {
    quint64 document = 0; // the ModelContext::document_id the tensor belongs to
    std::string tensor;
    SnapshotRequest request;
};
struct SnapshotFailed {
    QString tensor;
    QString message;
    bool file_changed = false; // the file changed on disk since it was opened
};

class SnapshotJob : public Job<TensorSnapshotRequest, TensorSnapshot, SnapshotFailed> {
    Q_DECLARE_TR_FUNCTIONS(SnapshotJob)
public:
    static constexpr bool kUrgent = true;

    explicit SnapshotJob(ModelContextPtr context)
        : context_(std::move(context)) {}
    Step begin(const TensorSnapshotRequest& request, const JobRun& run) override;

private:
    ModelContextPtr context_;
};

} // namespace nnscope::session
