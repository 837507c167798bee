#pragma once
// Losses, differentiable in their input.

#include "engine/tensor.h"

#include <string_view>

namespace nnscope {

// reduction: "mean", "sum" or "none".
Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight = Tensor(),
                std::int64_t ignore_index = -100, std::string_view reduction = "mean");
// Class-index targets (int64) or class probabilities (same shape as input). Class indices run
// fused (log_softmax + nll, backward softmax - one-hot); label smoothing follows PyTorch 1.13's
// cross_entropy_loss_label_smoothing (both terms of "mean" divide by the target weight sum).
Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = Tensor(),
                     std::int64_t ignore_index = -100, std::string_view reduction = "mean",
                     double label_smoothing = 0.0);
Tensor mse_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean");

} // namespace nnscope
