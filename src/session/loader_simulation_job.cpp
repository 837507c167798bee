#include "session/loader_simulation_job.h"

#include "data/config_error.h"

#include <exception>
#include <optional>
#include <utility>

namespace nnscope::session {

Step LoaderSimulationJob::begin(const data::DataLoaderConfig& config, const JobRun& run) {
    sent_ = 0;
    pending_.clear();
    std::optional<workflows::LoaderSimulation> simulation;
    try {
        simulation.emplace(config);
    } catch (const data::ConfigError& e) {
        send(run, LoaderFailed{e.field(), e.what()});
        return Step::Done;
    } catch (const std::exception& e) {
        send(run, LoaderFailed{{}, e.what()});
        return Step::Done;
    }
    const data::BuiltLoader& built = simulation->loader();
    send(run, LoaderStarted{built.source->name(), built.source->size(), simulation->warnings()});
    since_chunk_.start();
    simulation->cancelled = [&run] { return run.cancelled(); };
    simulation->on_batch = [this, &run](const workflows::LoaderBatch& batch) {
        pending_.push_back(batch);
        if (since_chunk_.elapsed() >= kIntervalMs) sendChunk(run);
    };
    try {
        const workflows::LoaderSummary summary = simulation->run();
        if (!summary.complete || run.cancelled()) return Step::Done; // nothing more leaves
        sendChunk(run);
        send(run, summary);
    } catch (const std::exception& e) { // a sample that cannot be read or transformed
        send(run, LoaderFailed{{}, e.what()});
    }
    pending_.clear();
    return Step::Done;
}

void LoaderSimulationJob::sendChunk(const JobRun& run) {
    if (pending_.empty()) return;
    auto chunk = std::make_shared<LoaderBatchChunk>();
    chunk->first = sent_;
    chunk->batches = std::move(pending_);
    pending_.clear();
    sent_ += static_cast<std::int64_t>(chunk->batches.size());
    send(run, LoaderBatchesPtr(std::move(chunk)));
    since_chunk_.start();
}

} // namespace nnscope::session
