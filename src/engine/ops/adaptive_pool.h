#pragma once
// Adaptive average pooling over the planes of NCHW (or CHW) tensors, differentiable, as
// torch.nn.functional.adaptive_avg_pool2d: output cell (i, j) of an (OH, OW) output averages
// rows floor(i*H/OH) .. ceil((i+1)*H/OH) and the columns likewise (windows may overlap).

#include "engine/ops/conv.h"

namespace nnscope {

// output_size entries must be positive (the module resolves None to the input's size).
Tensor adaptive_avg_pool2d(const Tensor& x, Pair output_size);

} // namespace nnscope
