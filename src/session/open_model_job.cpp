#include "session/open_model_job.h"

#include "io/open_model.h"

#include <QFileInfo>
#include <exception>

namespace nnscope::session {

Step OpenModelJob::begin(const OpenRequest& request, const JobRun& run) {
    send(run, LoadStarted{request.path});
    send(run, LoadProgress{0, tr("Reading %1").arg(QFileInfo(request.path).fileName())});
    std::shared_ptr<io::ModelDocument> document;
    DocumentSnapshotPtr snapshot;
    try {
        document = std::make_shared<io::ModelDocument>(io::open_model(request.path.toStdString()));
        if (run.cancelled()) return Step::Done;
        send(run, LoadProgress{50, tr("Building the module tree")});
        snapshot = std::make_shared<const DocumentSnapshot>(
            make_document_snapshot(*document, request.path.toStdString()));
    } catch (const std::exception& e) {
        send(run, LoadFailed{request.path, QString::fromStdString(e.what())});
        return Step::Done;
    }
    if (run.cancelled()) return Step::Done;
    context_->document = std::move(document);
    context_->document_id = run.generation();
    context_->stats_from_snapshots.clear();
    send(run, LoadProgress{100, tr("Loaded")});
    send(run, Loaded{std::move(snapshot)});
    return Step::Done;
}

} // namespace nnscope::session
