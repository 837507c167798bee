#pragma once
// What a training run is: the model, the data, the optimizer, the seed and the loader settings
// (`nnscope-cli train`'s options; the training workspace fills the same value).

#include "workflows/optimizer_factory.h"

#include <cstdint>
#include <optional>
#include <string>

namespace nnscope::workflows {

struct TrainingConfig {
    std::string model;   // "mlp" | "cnn" | "textcls" | a native model file
    std::string dataset; // "fashion-mnist[:PATH]" | "mnist:PATH" | "ag-news:PATH"
    std::int64_t epochs = 1;
    std::int64_t batch_size = 64;
    OptimizerConfig optimizer;
    std::uint64_t seed = 0;
    int num_workers = 0;
    std::optional<std::int64_t> limit; // the first N samples of each split
    std::string transform; // a torchvision pipeline for the training images, empty for none

    // The test split is evaluated in batches of max(batch_size, 1000).
    std::int64_t eval_batch_size() const { return std::max<std::int64_t>(batch_size, 1000); }

    bool operator==(const TrainingConfig&) const = default;
};

// data::ConfigError naming the field for a value no run can take (the data set and the model are
// checked when the run opens them).
void validate(const TrainingConfig& config);

} // namespace nnscope::workflows
