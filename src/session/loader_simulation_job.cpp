#include "session/loader_simulation_job.h"

#include "data/config_error.h"

#include <QElapsedTimer>
#include <exception>
#include <utility>

namespace nnscope::session {

LoaderSimulationJob::LoaderSimulationJob()
    : stream_(kIntervalMs, [this] { return takeChunk(); }) {}

LoaderSimulationJob::~LoaderSimulationJob() = default;

Step LoaderSimulationJob::begin(const data::DataLoaderConfig& config, const JobRun& run) {
    try {
        simulation_ = std::make_unique<workflows::LoaderSimulation>(config);
    } catch (const data::ConfigError& e) {
        return fail(run, LoaderFailed{e.field(), e.what()});
    } catch (const std::exception& e) {
        return fail(run, LoaderFailed{{}, e.what()});
    }
    const data::BuiltLoader& built = simulation_->loader();
    send(run, LoaderStarted{built.source->name(), built.source->size(), simulation_->warnings()});
    stream_.start(run);
    return Step::Continue;
}

Step LoaderSimulationJob::step(const JobRun& run) {
    QElapsedTimer slice;
    slice.start();
    try {
        while (slice.elapsed() < kStepMs) {
            if (run.cancelled()) {
                abandon();
                return Step::Done;
            }
            auto batch = simulation_->next();
            if (!batch) {
                stream_.flush();
                send(run, simulation_->summary());
                abandon();
                return Step::Done;
            }
            pending_.push_back(std::move(*batch));
            stream_.offer();
        }
    } catch (const std::exception& e) { // a sample that cannot be read or transformed
        return fail(run, LoaderFailed{{}, e.what()});
    }
    return Step::Continue;
}

void LoaderSimulationJob::abandon() {
    // Nothing that piled up carries over into the next job.
    stream_.discard();
    simulation_.reset();
    pending_.clear();
    sent_ = 0;
}

Step LoaderSimulationJob::fail(const JobRun& run, LoaderFailed failure) {
    stream_.flush(); // the batches drawn before the failure
    abandon();
    send(run, std::move(failure));
    return Step::Done;
}

LoaderBatchesPtr LoaderSimulationJob::takeChunk() {
    auto chunk = std::make_shared<LoaderBatchChunk>();
    chunk->first = sent_;
    chunk->batches = std::move(pending_);
    pending_.clear();
    sent_ += static_cast<std::int64_t>(chunk->batches.size());
    return chunk;
}

} // namespace nnscope::session
