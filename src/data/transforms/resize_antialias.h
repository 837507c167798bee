#pragma once
// F.resize(img, size, BILINEAR, antialias=True) on tensors, as torchvision 0.14 does it: aten's
// _upsample_bilinear2d_aa (PIL's triangle filter, widened by the scale when shrinking), one
// separable pass per axis, integer images computed in float32 and rounded back half to even.

#include "engine/tensor.h"

#include <cstdint>

namespace nnscope::data::functional {

// img [..., H, W]; throws std::invalid_argument for fewer than 2 dims or a size below 1.
Tensor resize_antialias(const Tensor& img, std::int64_t height, std::int64_t width);

} // namespace nnscope::data::functional
