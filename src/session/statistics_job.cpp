#include "session/statistics_job.h"

#include "session/tensor_snapshot.h"

namespace nnscope::session {

static_assert(StatisticsJob::produces<StatsBatchPtr>, "the stream sends StatsBatchPtr");

StatisticsJob::StatisticsJob(ModelContextPtr context)
    : context_(std::move(context))
    , stream_(kIntervalMs, [this] { return takeBatch(); }) {}

StatisticsJob::~StatisticsJob() = default;

Step StatisticsJob::begin(const StatisticsRequest& request, const JobRun& run) {
    stream_.start(run);
    document_ = request.document;
    next_ = 0;
    pending_ = StatsBatch{};
    known_.clear();
    by_view_.clear();
    if (!context_->document || context_->document_id != document_) return Step::Done;
    pending_.total = static_cast<int>(context_->document->tensors.size());
    return Step::Continue;
}

Step StatisticsJob::step(const JobRun& run) {
    if (context_->document_id != document_) return Step::Done; // another document was opened
    const auto& tensors = context_->document->tensors;
    for (auto& [name, stats] : std::exchange(context_->stats_from_snapshots, {}))
        if (const io::TensorEntry* entry = context_->document->find(name);
            entry && !known_.count(name)) {
            note(*entry, stats);
            stream_.offer();
        }
    if (next_ >= tensors.size()) {
        stream_.flush();
        send(run, StatsFinished{});
        return Step::Done;
    }
    const io::TensorEntry& entry = tensors[next_];
    if (auto change = change_on_disk(*context_)) return fileChanged(run, *change);
    try {
        const auto same_view = by_view_.find(io::view_identity(entry));
        if (same_view != by_view_.end()) {
            note(entry, same_view->second);
        } else if (!known_.count(entry.name)) {
            // The statistics only: no histogram, slice or kernels.
            note(entry,
                 stats::tensor_stats(entry.load(), stop_on(run.cancelFlag(), run.yieldFlag())));
        }
    } catch (const io::FileChangedError& e) {
        return fileChanged(run, e.what());
    } catch (const SnapshotCancelled&) {
        // Cancelled: the worker abandons the job before its next step. Yielding: the same tensor
        // again once the urgent job is done.
        return run.cancelled() ? Step::Continue : Step::Yield;
    } catch (const std::exception&) {
        // A tensor whose data cannot be read keeps empty statistics; asking for its snapshot
        // reports the error.
    }
    pending_.done = static_cast<int>(++next_);
    stream_.offer();
    return Step::Continue;
}

Step StatisticsJob::fileChanged(const JobRun& run, const std::string& message) {
    stream_.flush(); // what was computed before the change is the opened file's
    send(run, FileChanged{QString::fromStdString(message)});
    return Step::Done;
}

void StatisticsJob::abandon() {
    stream_.discard(); // the job is cancelled or superseded: nothing of it leaves
    pending_ = StatsBatch{};
    document_ = 0;
}

void StatisticsJob::note(const io::TensorEntry& entry, const TensorStats& stats) {
    known_.insert(entry.name);
    pending_.stats[entry.name] = stats;
    if (std::string view = io::view_identity(entry); !view.empty())
        by_view_.emplace(std::move(view), stats);
}

StatsBatchPtr StatisticsJob::takeBatch() {
    auto batch = std::make_shared<StatsBatch>();
    batch->done = pending_.done;
    batch->total = pending_.total;
    batch->stats.swap(pending_.stats);
    return batch;
}

} // namespace nnscope::session
