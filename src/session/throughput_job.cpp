#include "session/throughput_job.h"

#include <utility>

namespace nnscope::session {

Step ThroughputJob::begin(const ThroughputRequest& request, const JobRun& run) {
    abandon();
    try {
        data::validate(request.config); // a bad value fails before anything is loaded
    } catch (...) {
        send(run, current_loader_failure());
        return Step::Done;
    }
    request_ = request;
    if (request.mode == ThroughputRequest::Mode::Sweep)
        for (int k = 0; k <= workflows::kSweepMaxWorkers; ++k)
            workers_.push_back(k);
    else
        workers_.push_back(request.config.num_workers);
    send(run, ThroughputStarted{workflows::read_machine_load(), workers_});
    return Step::Continue;
}

Step ThroughputJob::step(const JobRun& run) {
    if (run.cancelled()) {
        abandon();
        return Step::Done;
    }
    try {
        auto point = std::make_shared<workflows::ThroughputPoint>(
            workflows::measure_throughput(workflows::with_workers(request_.config, workers_[next_]),
                                          request_.budget, run.cancelFlag()));
        if (!point->complete) { // cancelled: nothing of it leaves
            abandon();
            return Step::Done;
        }
        send(run, ThroughputPointPtr(std::move(point)));
    } catch (...) { // a bad value, unreadable data, a transform that fails on a sample
        send(run, current_loader_failure());
        abandon();
        return Step::Done;
    }
    if (++next_ < workers_.size()) return Step::Continue;
    send(run, ThroughputFinished{static_cast<int>(workers_.size())});
    abandon();
    return Step::Done;
}

void ThroughputJob::abandon() {
    workers_.clear();
    next_ = 0;
}

} // namespace nnscope::session
