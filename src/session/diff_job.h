#pragma once
// Job kind: the Compare page's comparison. The request names two checkpoints (or one folder);
// begin() opens them (workflows::CheckpointComparison / SeriesBuilder), each step compares pairs
// (or reads checkpoints) for about kStepMs, and the job sends:
//   DiffProgress   the share done, at most once per kProgressMs (also from inside one large
//                  tensor: the chunk loop's stop predicate reports it)
//   DiffResultPtr  the finished comparison, sorted by largest change
//   SeriesResultPtr  a folder's series
//   DiffFailed     a file or folder that cannot be read, with the reason
// A newer request, cancel<DiffJob>() or stop() end it within one chunk (about a million elements).

#include "session/job.h"
#include "workflows/checkpoint_diff.h"
#include "workflows/checkpoint_series.h"

#include <QElapsedTimer>
#include <memory>
#include <string>

namespace nnscope::session {

struct DiffRequest {
    std::string a; // a checkpoint, or a folder when `b` is empty
    std::string b;
    int bins = 64;
};

struct DiffProgress {
    double fraction = 0; // in [0, 1]
};

using DiffResultPtr = std::shared_ptr<const workflows::CheckpointDiff>;
using SeriesResultPtr = std::shared_ptr<const workflows::CheckpointSeries>;

struct DiffFailed {
    std::string message;
};

class DiffJob : public Job<DiffRequest, DiffProgress, DiffResultPtr, SeriesResultPtr, DiffFailed> {
public:
    static constexpr int kStepMs = 20;
    static constexpr int kProgressMs = 100;

    DiffJob();
    ~DiffJob() override;

    Step begin(const DiffRequest& request, const JobRun& run) override;
    Step step(const JobRun& run) override;
    void abandon() override;

private:
    double progress() const;
    void reportProgress(const JobRun& run, bool force = false);

    std::unique_ptr<workflows::CheckpointComparison> comparison_;
    std::unique_ptr<workflows::SeriesBuilder> series_;
    QElapsedTimer since_progress_;
};

} // namespace nnscope::session
