#include "session/diff_job.h"

#include <exception>

namespace nnscope::session {

DiffJob::DiffJob() = default;
DiffJob::~DiffJob() = default;

Step DiffJob::begin(const DiffRequest& request, const JobRun& run) {
    abandon();
    try {
        if (request.b.empty())
            series_ = std::make_unique<workflows::SeriesBuilder>(request.a);
        else
            comparison_ = std::make_unique<workflows::CheckpointComparison>(request.a, request.b,
                                                                            request.bins);
    } catch (const std::exception& e) {
        abandon();
        send(run, DiffFailed{e.what()});
        return Step::Done;
    }
    since_progress_.start();
    reportProgress(run, true);
    return Step::Continue;
}

Step DiffJob::step(const JobRun& run) {
    QElapsedTimer slice;
    slice.start();
    // Asked before every chunk: reports progress inside a large tensor, stops a cancelled job.
    const stats::StopRequested stop = [this, &run] {
        reportProgress(run);
        return run.cancelled();
    };
    try {
        while (slice.elapsed() < kStepMs) {
            if (run.cancelled()) {
                abandon();
                return Step::Done;
            }
            if (comparison_ && comparison_->done()) {
                send(run, DiffResultPtr(
                              std::make_shared<workflows::CheckpointDiff>(comparison_->take())));
                abandon();
                return Step::Done;
            }
            if (series_ && series_->done()) {
                send(run, SeriesResultPtr(
                              std::make_shared<workflows::CheckpointSeries>(series_->take())));
                abandon();
                return Step::Done;
            }
            if (comparison_)
                comparison_->next(stop);
            else
                series_->next(stop);
        }
    } catch (const stats::StatsCancelled&) {
        abandon();
        return Step::Done;
    } catch (const std::exception& e) {
        abandon();
        send(run, DiffFailed{e.what()});
        return Step::Done;
    }
    reportProgress(run);
    return Step::Continue;
}

void DiffJob::abandon() {
    comparison_.reset();
    series_.reset();
}

double DiffJob::progress() const {
    if (comparison_) return comparison_->progress();
    if (series_) return series_->progress();
    return 0;
}

void DiffJob::reportProgress(const JobRun& run, bool force) {
    if (!force && since_progress_.elapsed() < kProgressMs) return;
    since_progress_.restart();
    send(run, DiffProgress{progress()});
}

} // namespace nnscope::session
