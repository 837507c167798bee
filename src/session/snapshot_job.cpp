#include "session/snapshot_job.h"

#include <exception>

namespace nnscope::session {

Step SnapshotJob::begin(const TensorSnapshotRequest& request, const JobRun& run) {
    const QString name = QString::fromStdString(request.tensor);
    if (!context_->document || request.document != context_->document_id)
        return Step::Done; // asked about another document
    const io::TensorEntry* entry = context_->document->find(request.tensor);
    if (!entry) {
        send(run, SnapshotFailed{name, tr("no tensor named %1").arg(name)});
        return Step::Done;
    }
    if (auto change = change_on_disk(*context_)) {
        send(run, SnapshotFailed{name, QString::fromStdString(*change), true});
        return Step::Done;
    }
    try {
        TensorSnapshot s =
            make_tensor_snapshot(*entry, entry->load(), request.request, run.cancelFlag());
        context_->stats_from_snapshots[entry->name] = s.stats;
        send(run, std::move(s));
    } catch (const io::FileChangedError& e) {
        send(run, SnapshotFailed{name, QString::fromStdString(e.what()), true});
    } catch (const SnapshotCancelled&) {
        // A newer request replaced this one; it is on its way.
    } catch (const std::exception& e) {
        send(run, SnapshotFailed{name, QString::fromStdString(e.what())});
    }
    return Step::Done;
}

} // namespace nnscope::session
