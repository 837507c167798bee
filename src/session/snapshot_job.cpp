#include "session/snapshot_job.h"

#include <exception>

namespace nnscope::session {

Step SnapshotJob::begin(const TensorSnapshotRequest& request, const JobRun& run) {
    const QString name = QString::fromStdString(request.tensor);
    const TensorLookup found = find_tensor(*context_, request.document, request.tensor);
    if (!found.entry) {
        if (!found.problem.empty())
            send(run,
                 SnapshotFailed{name, QString::fromStdString(found.problem), found.file_changed});
        return Step::Done;
    }
    const io::TensorEntry* entry = found.entry;
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
