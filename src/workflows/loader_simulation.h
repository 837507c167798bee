#pragma once
// Runs a configured DataLoader for its epochs and records what it drew: each batch's dataset
// indices and labels, the samples drawn per class, and how many draws repeated a sample already
// drawn in the same epoch. `nnscope-cli loader` prints it; the DataLoader lab plots it.

#include "data/loader_factory.h"

#include <functional>
#include <map>
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
    // default generator).
    explicit LoaderSimulation(const data::DataLoaderConfig& config,
                              data::GeneratorPtr generator = nullptr);

    std::function<void(const LoaderBatch&)> on_batch;
    std::function<bool()> cancelled; // asked between batches; empty: never

    // PyTorch's warnings about the configuration (pin_memory, too many workers).
    const std::vector<std::string>& warnings() const { return built_.loader->warnings(); }
    const data::BuiltLoader& loader() const { return built_; }

    // Every epoch of the configuration, batch by batch.
    LoaderSummary run();

private:
    std::int64_t epochs_;
    data::BuiltLoader built_;
};

} // namespace nnscope::workflows
