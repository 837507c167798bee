#pragma once
// Job kind: open a model file. Reads it with io::open_model, keeps the io::ModelDocument in the
// shared ModelContext and sends a DocumentSnapshot; a newer open or a cancel makes it send nothing
// more (the document it read is dropped, the previous one stays). The file's identity is taken
// before and after reading: a file that changed meanwhile (a writer still at work) fails with
// `changed_while_opening` set, so that a watch can try again once the writer is done.

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
    io::FileIdentity identity; // of the file when it was read
};
struct LoadFailed {
    QString file;
    QString message;
    bool changed_while_opening = false;
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
