#pragma once
// Job kind: the statistics of every tensor of the opened document, the stream that follows a
// load. One tensor per step (so snapshot requests and a newer open are served in between); it
// yields to a waiting snapshot between 1 M-element chunks and takes up the same tensor once the
// snapshot is done. Batches leave through a Throttle, at most one per kIntervalMs, the last one
// flushed before StatsFinished. A file changed on disk ends the stream with FileChanged instead:
// statistics of a changed file would be of neither the old file nor the new one.

#include "session/job.h"
#include "session/job_stream.h"
#include "session/model_context.h"

#include <QMetaType>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace nnscope::session {

// Statistics of some tensors of the current document. Every batch also says how far the whole
// job is, so it doubles as the progress of the statistics phase.
struct StatsBatch {
    std::map<std::string, TensorStats> stats; // by tensor name
    int done = 0;                             // tensors finished so far, all batches included
    int total = 0;
};
using StatsBatchPtr = std::shared_ptr<const StatsBatch>;

struct StatisticsRequest {
    quint64 document = 0; // the ModelContext::document_id the statistics are of
};
struct StatsFinished {};

class StatisticsJob : public Job<StatisticsRequest, StatsBatchPtr, StatsFinished, FileChanged> {
public:
    // Batches leave at most this often (a window redraws at about 60 Hz; 25 is plenty).
    static constexpr int kIntervalMs = 40;

    explicit StatisticsJob(ModelContextPtr context);
    ~StatisticsJob() override;
    Step begin(const StatisticsRequest& request, const JobRun& run) override;
    Step step(const JobRun& run) override;
    void abandon() override;

private:
    void note(const io::TensorEntry& entry, const TensorStats& stats);
    Step fileChanged(const JobRun& run, const std::string& message);
    StatsBatchPtr takeBatch();

    ModelContextPtr context_;
    JobStream<StatsBatchPtr> stream_;
    quint64 document_ = 0;
    std::size_t next_ = 0;
    StatsBatch pending_;
    std::set<std::string> known_; // tensors whose statistics are in a batch already
    // Statistics by io::view_identity: a tied tensor's second name is not read again.
    std::map<std::string, TensorStats> by_view_;
};

} // namespace nnscope::session

Q_DECLARE_METATYPE(nnscope::session::StatsBatchPtr)
