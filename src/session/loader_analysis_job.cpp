#include "session/loader_analysis_job.h"

namespace nnscope::session {

Step LoaderAnalysisJob::begin(const data::DataLoaderConfig& config, const JobRun& run) {
    try {
        if (auto analysis = workflows::analyse_loader(config, run.cancelFlag()))
            send(run, std::move(analysis));
    } catch (...) {
        send(run, current_loader_failure());
    }
    return Step::Done;
}

} // namespace nnscope::session
