#pragma once
// A classifier's accuracy and mean loss (a training run's, cross-entropy by default) on a data
// set's test split.

#include "engine/nn/module.h"
#include "workflows/train_data.h"
#include "workflows/training_config.h"

#include <functional>
#include <optional>
#include <vector>

namespace nnscope::workflows {

struct Evaluation {
    double accuracy = 0, loss = 0; // loss: the mean over samples
    std::int64_t samples = 0;
    bool complete = true; // false when cancelled part way
    std::int64_t classes = 0;
    // classes x classes counts, row = true label, column = predicted (argmax of the logits).
    std::vector<std::int64_t> confusion;
    // When a TrainingRun evaluated: steps trained before, and the epoch under way or next.
    std::int64_t step = 0, epoch = 0;
};

// In eval mode without gradients, in batches of batch_size over data.test (its first
// max_samples samples); the model is back in training mode afterwards. `cancelled` is asked
// between batches.
Evaluation evaluate(nn::Module& model, const TrainData& data, std::int64_t batch_size,
                    std::optional<std::int64_t> max_samples = std::nullopt,
                    const std::function<bool()>& cancelled = {}, const LossConfig& loss = {});

} // namespace nnscope::workflows
