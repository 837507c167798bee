#pragma once
// Losses, differentiable in their input.

#include "engine/tensor.h"

#include <string_view>

namespace nnscope {

// reduction: "mean", "sum" or "none".
Tensor nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight = Tensor(),
                std::int64_t ignore_index = -100, std::string_view reduction = "mean");
// Class-index targets (int64) or class probabilities (same shape as input).
Tensor cross_entropy(const Tensor& input, const Tensor& target, const Tensor& weight = Tensor(),
                     std::int64_t ignore_index = -100, std::string_view reduction = "mean",
                     double label_smoothing = 0.0);
Tensor mse_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean");

} // namespace nnscope
