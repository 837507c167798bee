#pragma once
// Job kind: the DataLoader lab's simulation. The request is a DataLoaderConfig; the worker builds
// its loader (workflows::LoaderSimulation), draws every epoch in steps of about kStepMs (so a
// newer request, cancel<LoaderSimulationJob>() or stop() end it within a step, and other kinds
// are served in between) and sends what it draws:
//   LoaderStarted       the loader is built (data set, size, PyTorch's warnings): a new table
//   LoaderBatchesPtr    the batches drawn since the last chunk, at most one chunk per kIntervalMs
//                       (a JobStream)
//   workflows::LoaderSummary  the totals, after the last chunk
//   LoaderFailed        a bad configuration (ConfigError, naming its field) or unreadable data

#include "session/job.h"
#include "session/job_stream.h"
#include "session/loader_failed.h"
#include "workflows/loader_simulation.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nnscope::session {

struct LoaderStarted {
    std::string dataset; // Dataset::name()
    std::int64_t dataset_size = 0;
    std::vector<std::string> warnings;
};

// Consecutive batches of one run: `first` is the position of batches[0] in the run (0-based,
// over all epochs), so chunks append.
struct LoaderBatchChunk {
    std::int64_t first = 0;
    std::vector<workflows::LoaderBatch> batches;
};
using LoaderBatchesPtr = std::shared_ptr<const LoaderBatchChunk>;

class LoaderSimulationJob : public Job<data::DataLoaderConfig, LoaderStarted, LoaderBatchesPtr,
                                       workflows::LoaderSummary, LoaderFailed> {
public:
    // A chunk leaves at most this often (the table need not redraw faster).
    static constexpr int kIntervalMs = 40;
    // How long one step draws before the worker's event loop turns again.
    static constexpr int kStepMs = 10;

    LoaderSimulationJob();
    ~LoaderSimulationJob() override;

    Step begin(const data::DataLoaderConfig& config, const JobRun& run) override;
    Step step(const JobRun& run) override;
    void abandon() override;

private:
    LoaderBatchesPtr takeChunk();
    Step fail(const JobRun& run, LoaderFailed failure);

    std::unique_ptr<workflows::LoaderSimulation> simulation_;
    std::int64_t sent_ = 0; // batches sent in chunks so far
    std::vector<workflows::LoaderBatch> pending_;
    JobStream<LoaderBatchesPtr> stream_;
};

} // namespace nnscope::session
