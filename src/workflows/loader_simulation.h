#pragma once
// Runs a configured DataLoader for its epochs and records what it drew: each batch's dataset
// indices and labels, the samples drawn per class, and how many draws repeated a sample already
// drawn in the same epoch. `nnscope-cli loader` prints it; the DataLoader lab plots it.

#include "data/loader_factory.h"
#include "engine/generator.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nnscope::workflows {

struct LoaderBatch {
    std::int64_t epoch = 0, batch = 0; // 0-based
    std::vector<std::int64_t> indices, labels;
};

struct LoaderSummary {
    std::string dataset; // Dataset::name()
    std::int64_t dataset_size = 0, epochs = 0, batches = 0, samples = 0, duplicates = 0;
    std::map<std::int64_t, std::int64_t> per_class; // label -> samples drawn (-1: no label)
    std::vector<std::string> warnings;
    bool complete = true; // false when cancelled
};

class LoaderSimulation {
public:
    // Builds the data set, sampler and loader (data::build_loader): ConfigError for a bad value.
    // `generator` is the DataLoader's generator when the configuration names no seed (null: the
    // default generator). "The default generator" is the simulation's own, a new interpreter's
    // (torch's default seed), made the default on the calling thread by a DefaultGeneratorScope
    // while it builds and draws: the batches are those of a fresh script whichever thread runs it
    // and whatever else draws meanwhile.
    explicit LoaderSimulation(const data::DataLoaderConfig& config,
                              data::GeneratorPtr generator = nullptr);
    ~LoaderSimulation();

    std::function<void(const LoaderBatch&)> on_batch;
    std::function<bool()> cancelled; // asked by run() between batches; empty: never

    // PyTorch's warnings about the configuration (pin_memory, too many workers).
    const std::vector<std::string>& warnings() const { return built_.loader->warnings(); }
    const data::BuiltLoader& loader() const { return built_; }

    // The next batch (starting the next epoch when one ends, set_epoch included), counted in the
    // summary and told to on_batch; nothing once every epoch is drawn. For a caller that draws a
    // few batches at a time (a worker job between two event-loop turns).
    std::optional<LoaderBatch> next();
    // The collated data of the batch next() returned last (what the model would get).
    const data::Sample& last_data() const { return last_data_; }
    // The totals of what was drawn so far.
    const LoaderSummary& summary() const { return summary_; }

    // Every remaining batch, asking `cancelled` before each; the summary (complete == false when
    // cancelled).
    LoaderSummary run();

private:
    std::unique_ptr<Generator> default_generator_ = std::make_unique<Generator>();
    data::BuiltLoader built_;
    LoaderSummary summary_;
    std::int64_t epoch_ = 0, batch_ = 0;                 // where next() is
    std::shared_ptr<data::DataLoaderIterator> iterator_; // during an epoch
    std::set<std::int64_t> seen_;                        // this epoch's indices
    data::Sample last_data_;
};

} // namespace nnscope::workflows
