#include "session/batch_samples_job.h"

namespace nnscope::session {

Step BatchSamplesJob::begin(const workflows::BatchSamplesRequest& request, const JobRun& run) {
    try {
        if (auto samples = workflows::load_batch_samples(request, run.cancelFlag()))
            send(run, std::move(samples));
    } catch (...) {
        send(run, current_loader_failure());
    }
    return Step::Done;
}

} // namespace nnscope::session
