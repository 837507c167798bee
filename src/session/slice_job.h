#pragma once
// Job kind: values of one tensor's 2-D slice without its statistics, for a heatmap zoomed in
// (the visible window at full resolution) and for a CSV export (the whole slice). Urgent: the user
// waits for it. The newest request wins, so a pan replaces the window asked for before it; the
// asker's `tag` comes back with the answer to say which question it answers.

#include "session/job.h"
#include "session/model_context.h"
#include "session/tensor_snapshot.h"

#include <QCoreApplication>
#include <QMetaType>
#include <QString>
#include <string>

namespace nnscope::session {

struct TensorSliceRequest {
    quint64 document = 0; // the ModelContext::document_id; SessionController fills it in
    std::string tensor;
    SliceRequest slice;
    quint64 tag = 0;
};
struct TensorSlice {
    std::string tensor;
    Slice2D slice;
    quint64 tag = 0;
};
struct SliceFailed {
    QString tensor;
    QString message;
    quint64 tag = 0;
};

class SliceJob : public Job<TensorSliceRequest, TensorSlice, SliceFailed> {
    Q_DECLARE_TR_FUNCTIONS(SliceJob)
public:
    static constexpr bool kUrgent = true;

    explicit SliceJob(ModelContextPtr context)
        : context_(std::move(context)) {}
    Step begin(const TensorSliceRequest& request, const JobRun& run) override;

private:
    ModelContextPtr context_;
};

} // namespace nnscope::session

Q_DECLARE_METATYPE(nnscope::session::TensorSliceRequest)
Q_DECLARE_METATYPE(nnscope::session::TensorSlice)
