// conv1d as PyTorch's CPU path computes it: the 2-D convolution over a height of one (input and
// weight viewed with an extra dim of size 1 before the last), so values and gradients are
// conv2d's.

#include "engine/ops/conv.h"

#include <stdexcept>

namespace nnscope {

Tensor conv1d(const Tensor& x, const Tensor& weight, const Tensor& bias, std::int64_t stride,
              std::int64_t padding, std::int64_t dilation, std::int64_t groups) {
    if (x.dim() != 2 && x.dim() != 3)
        throw std::invalid_argument("Expected 2D (unbatched) or 3D (batched) input to conv1d, but "
                                    "got input of size: " +
                                    shape_to_string(x.shape()));
    if (weight.dim() != 3)
        throw std::invalid_argument("conv1d: expected a 3-D weight [out_channels, in_channels / "
                                    "groups, kernel_size], got size " +
                                    shape_to_string(weight.shape()));
    return conv2d(x.unsqueeze(-2), weight.unsqueeze(-2), bias, {1, stride}, {0, padding},
                  {1, dilation}, groups)
        .squeeze(-2);
}

} // namespace nnscope
