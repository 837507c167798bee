// conv1d as PyTorch's CPU path computes it: the 2-D convolution over a height of one (input and
// weight viewed with an extra dim of size 1 before the last), so values and gradients are
// conv2d's. The shape checks are made here first, so that messages show the 1-D shapes.

#include "engine/ops/conv.h"

#include <stdexcept>
#include <string>

namespace nnscope {

namespace {

std::string str(std::int64_t v) {
    return std::to_string(v);
}

// conv2d's checks that print shapes, in its order, with the 1-D shapes PyTorch prints.
void check_shapes(const Tensor& x, const Tensor& weight, const Tensor& bias, std::int64_t padding,
                  std::int64_t dilation, std::int64_t groups) {
    const Shape in3 = x.dim() == 3 ? x.shape() : Shape{1, x.size(0), x.size(1)};
    const std::int64_t out_channels = weight.size(0);
    if (groups > 0 && out_channels % groups != 0)
        throw std::invalid_argument("Given groups=" + str(groups) +
                                    ", expected weight to be divisible by " + str(groups) +
                                    " at dimension 0, but got weight of size [" +
                                    shape_to_string(weight.shape()) + "] instead");
    if (groups > 0 && in3[1] != weight.size(1) * groups)
        throw std::invalid_argument(
            "Given groups=" + str(groups) + ", weight of size " + shape_to_string(weight.shape()) +
            ", expected input" + shape_to_string(in3) + " to have " + str(weight.size(1) * groups) +
            " channels, but got " + str(in3[1]) + " channels instead");
    const std::int64_t span = dilation * (weight.size(2) - 1) + 1;
    if (padding >= 0 && dilation > 0 && in3[2] + 2 * padding < span)
        throw std::invalid_argument("Calculated padded input size per channel: (" +
                                    str(in3[2] + 2 * padding) + "). Kernel size: (" + str(span) +
                                    "). Kernel size can't be greater than actual input size");
    if (bias.defined() && (bias.dim() != 1 || bias.size(0) != out_channels))
        throw std::invalid_argument("Given weight of size " + shape_to_string(weight.shape()) +
                                    ", expected bias to be 1-dimensional with " +
                                    str(out_channels) + " elements, but got bias of size " +
                                    shape_to_string(bias.shape()) + " instead");
}

} // namespace

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
    // Scalar checks (groups, stride, padding, dilation) and dtypes come first, from conv2d.
    const bool scalars_ok = groups > 0 && stride > 0 && padding >= 0 && dilation > 0;
    if (scalars_ok && x.dtype() == weight.dtype())
        check_shapes(x, weight, bias, padding, dilation, groups);
    return conv2d(x.unsqueeze(-2), weight.unsqueeze(-2), bias, {1, stride}, {0, padding},
                  {1, dilation}, groups)
        .squeeze(-2);
}

} // namespace nnscope
