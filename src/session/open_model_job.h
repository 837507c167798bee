#pragma once
// Job kind: open a model file. Reads it with io::open_model, keeps the io::ModelDocument in the
// shared ModelContext and sends a DocumentSnapshot; a newer open or a cancel makes it send nothing
// more (the document it read is dropped, the previous one stays).

#include "session/document_snapshot.h"
#include "session/job.h"
#include "session/model_context.h"

#include <QCoreApplication>
#include <QString>

namespace nnscope::session {

struct OpenRequest {
    QString path;
};
struct LoadStarted {
    QString file;
};
struct LoadProgress {
    int percent = 0;
    QString step;
};
struct Loaded {
    DocumentSnapshotPtr document;
};
struct LoadFailed {
    QString file;
    QString message;
};

class OpenModelJob : public Job<OpenRequest, LoadStarted, LoadProgress, Loaded, LoadFailed> {
    Q_DECLARE_TR_FUNCTIONS(OpenModelJob)
public:
    explicit OpenModelJob(ModelContextPtr context)
        : context_(std::move(context)) {}
    Step begin(const OpenRequest& request, const JobRun& run) override;

private:
    ModelContextPtr context_;
};

} // namespace nnscope::session
