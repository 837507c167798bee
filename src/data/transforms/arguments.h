#pragma once
// Checks and conversions of transform arguments shared by several transforms, with
// torchvision's rules and messages.

#include "data/transforms/functional.h"
#include "engine/nn/value.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnscope::data::transforms {

// InterpolationMode.NEAREST / .BILINEAR, or the strings "nearest" / "bilinear".
functional::Interpolation interpolation_arg(const nn::Value& v, const std::string& transform);
// _setup_size: a number n -> (n, n); [n] -> (n, n); [h, w] -> (h, w). Sizes must be positive.
std::vector<std::int64_t> setup_size(const nn::Value& v, const std::string& transform);
// Integers of a number or a sequence of numbers (whole floats accepted), for `what`.
std::vector<std::int64_t> int_list(const nn::Value& v, const std::string& what);
std::vector<double> number_list(const nn::Value& v, const std::string& what);
// A probability p in [0, 1].
double probability_arg(const nn::Value& v, const std::string& transform);

} // namespace nnscope::data::transforms
