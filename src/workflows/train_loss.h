#pragma once
// The loss of a training run (training_config.h's LossConfig) on a batch's logits and labels:
// torch.nn.CrossEntropyLoss(label_smoothing=...) or torch.nn.NLLLoss(), mean over the batch.
// TrainingRun::step and evaluate() both use it, so the test loss is the training loss's kind.

#include "engine/tensor.h"
#include "workflows/training_config.h"

#include <string>

namespace nnscope::workflows {

// logits [B, classes], labels int64 [B]; a scalar. data::ConfigError for an invalid config.
Tensor compute_loss(const LossConfig& loss, const Tensor& logits, const Tensor& labels);

// The PyTorch expression, e.g. "nn.CrossEntropyLoss(label_smoothing=0.1)".
std::string loss_call(const LossConfig& loss);

} // namespace nnscope::workflows
