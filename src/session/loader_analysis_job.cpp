#include "session/loader_analysis_job.h"

#include "data/config_error.h"

#include <exception>

namespace nnscope::session {

Step LoaderAnalysisJob::begin(const data::DataLoaderConfig& config, const JobRun& run) {
    try {
        if (auto analysis = workflows::analyse_loader(config, run.cancelFlag()))
            send(run, std::move(analysis));
    } catch (const data::ConfigError& e) {
        send(run, LoaderFailed{e.field(), e.what()});
    } catch (const std::exception& e) {
        send(run, LoaderFailed{{}, e.what()});
    }
    return Step::Done;
}

} // namespace nnscope::session
