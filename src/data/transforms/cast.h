#pragma once
// torchvision's _cast_squeeze_in / _cast_squeeze_out: integer images are computed in float32
// and rounded back (half to even) to their dtype.

#include "engine/tensor.h"

namespace nnscope::data::functional {

// Contiguous float32 or float64: the image itself when floating, else a float32 copy.
Tensor as_float(const Tensor& img);
// `result` (float32) back to `dtype`, rounding first for integer dtypes.
Tensor cast_back(const Tensor& result, DType dtype);

} // namespace nnscope::data::functional
