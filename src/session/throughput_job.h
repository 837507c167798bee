#pragma once
// Job kind: the DataLoader lab's loading speed (workflows::measure_throughput). The request is a
// configuration, one point (its own num_workers) or a sweep of num_workers 0..4, and a budget per
// point; the answers are ThroughputStarted (the machine's cores and load just before), one
// ThroughputPointPtr per point as it completes (one step each), ThroughputFinished, or
// LoaderFailed. A cancel, a newer request or stop() ends the point being measured within one
// batch, and nothing more of that job arrives. Give it a JobController of its own, so that no
// other job is timed with it.

#include "session/job.h"
#include "session/loader_failed.h"
#include "workflows/loader_throughput.h"

#include <memory>
#include <vector>

namespace nnscope::session {

struct ThroughputRequest {
    enum class Mode { Single, Sweep };
    data::DataLoaderConfig config;
    Mode mode = Mode::Single;
    workflows::ThroughputBudget budget;
};

struct ThroughputStarted {
    workflows::MachineLoad machine;
    std::vector<int> workers; // the num_workers of the points to come, in order
};
using ThroughputPointPtr = std::shared_ptr<const workflows::ThroughputPoint>;
struct ThroughputFinished {
    int points = 0;
};

class ThroughputJob : public Job<ThroughputRequest, ThroughputStarted, ThroughputPointPtr,
                                 ThroughputFinished, LoaderFailed> {
public:
    Step begin(const ThroughputRequest& request, const JobRun& run) override;
    Step step(const JobRun& run) override;
    void abandon() override;

private:
    ThroughputRequest request_;
    std::vector<int> workers_;
    std::size_t next_ = 0;
};

} // namespace nnscope::session
