#include "session/open_model_job.h"

#include "io/open_model.h"

#include <QFileInfo>
#include <exception>
#include <filesystem>

namespace nnscope::session {

Step OpenModelJob::begin(const OpenRequest& request, const JobRun& run) {
    send(run, LoadStarted{request.path});
    send(run, LoadProgress{0, tr("Reading %1").arg(QFileInfo(request.path).fileName())});
    const std::filesystem::path path = request.path.toStdString();
    const auto before = io::FileIdentity::of(path);
    std::shared_ptr<io::ModelDocument> document;
    DocumentSnapshotPtr snapshot;
    try {
        document = std::make_shared<io::ModelDocument>(io::open_model(path));
        if (run.cancelled()) return Step::Done;
        send(run, LoadProgress{50, tr("Building the module tree")});
        snapshot = std::make_shared<const DocumentSnapshot>(
            make_document_snapshot(*document, path.string()));
    } catch (const std::exception& e) {
        // A reader that hit a short file may just have met a writer at work: say so.
        const auto after = io::FileIdentity::of(path);
        const bool changed = dynamic_cast<const io::FileChangedError*>(&e) || before != after;
        const QString message =
            changed ? tr("%1 changed on disk while it was being opened (%2)")
                          .arg(QFileInfo(request.path).fileName(), QString::fromStdString(e.what()))
                    : QString::fromStdString(e.what());
        send(run, LoadFailed{request.path, message, changed});
        return Step::Done;
    }
    const auto after = io::FileIdentity::of(path);
    if (!before || before != after) {
        send(run, LoadFailed{request.path,
                             tr("%1 changed on disk while it was being opened: a writer may still "
                                "be at work; open it again once it is done")
                                 .arg(QFileInfo(request.path).fileName()),
                             true});
        return Step::Done;
    }
    if (run.cancelled()) return Step::Done;
    context_->document = std::move(document);
    context_->path = path;
    context_->identity = *after;
    context_->document_id = run.generation();
    context_->stats_from_snapshots.clear();
    send(run, LoadProgress{100, tr("Loaded")});
    send(run, Loaded{std::move(snapshot), *after});
    return Step::Done;
}

} // namespace nnscope::session
