#pragma once
// torchvision.transforms.functional's tensor path (functional_tensor.py of 0.14) on images
// [..., H, W]: the deterministic operations the Transform classes are built from. Integer
// images are computed in float32 where torchvision casts, and rounded back as it does.

#include "engine/tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::data::functional {

enum class Interpolation { Nearest, Bilinear };
enum class PaddingMode { Constant, Edge, Reflect, Symmetric };

// "nearest" / "bilinear" as InterpolationMode.value; throws for anything else.
Interpolation interpolation_from_name(const std::string& name);
const char* interpolation_name(Interpolation mode);
PaddingMode padding_mode_from_name(const std::string& name);
const char* padding_mode_name(PaddingMode mode);

struct ImageSize {
    std::int64_t channels = 1, height = 0, width = 0; // F.get_dimensions
};
// Throws std::invalid_argument for a tensor with fewer than 2 dimensions.
ImageSize image_size(const Tensor& img);

// F.pad with padding [left, top, right, bottom]; fill is used by Constant only. Reflect needs
// each padding below the image's extent, Symmetric at most the extent (as PyTorch's kernels).
Tensor pad(const Tensor& img, std::int64_t left, std::int64_t top, std::int64_t right,
           std::int64_t bottom, double fill = 0, PaddingMode mode = PaddingMode::Constant);
// F.crop: parts of the box outside the image are zeros.
Tensor crop(const Tensor& img, std::int64_t top, std::int64_t left, std::int64_t height,
            std::int64_t width);
Tensor center_crop(const Tensor& img, std::int64_t height, std::int64_t width);
Tensor hflip(const Tensor& img);
Tensor vflip(const Tensor& img);

// F.interpolate(size=(h, w), align_corners=False, antialias=False); integer images go through
// float32 and come back rounded half to even.
Tensor resize(const Tensor& img, std::int64_t height, std::int64_t width,
              Interpolation mode = Interpolation::Bilinear);
// torchvision's _compute_resized_output_size: [h, w] for size = {s} (smaller edge) or {h, w}.
std::vector<std::int64_t> resized_output_size(std::int64_t height, std::int64_t width,
                                              const std::vector<std::int64_t>& size,
                                              std::optional<std::int64_t> max_size);

// F.rotate: counter-clockwise by `angle` degrees about `center` (pixel coordinates, default the
// image centre), affine grid + grid_sample(padding_mode="zeros", align_corners=False); with
// `fill` the area outside is filled through the mask channel as torchvision does (one value,
// or one per channel).
Tensor rotate(const Tensor& img, double angle, Interpolation mode = Interpolation::Nearest,
              bool expand = false, const std::optional<std::vector<double>>& center = {},
              const std::optional<std::vector<double>>& fill = {});

// F.normalize: (x - mean) / std per channel, in the image's floating dtype.
Tensor normalize(const Tensor& img, const std::vector<double>& mean, const std::vector<double>& std,
                 bool inplace = false);
// F.to_tensor of a numpy array: uint8 [H, W] or [H, W, C] -> float32 [C, H, W] / 255; other
// dtypes are only permuted, as torchvision does.
Tensor to_tensor(const Tensor& pic);

} // namespace nnscope::data::functional
