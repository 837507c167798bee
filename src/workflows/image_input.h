#pragma once
// An image as a model's input, as torchvision's classification preprocessing makes it:
// Resize(shorter side, bilinear, antialias) -> CenterCrop -> ToTensor (/255) -> Normalize, on the
// uint8 image (PNG through libpng, JPEG through libjpeg here; the window may decode PNG/JPEG
// through QImage and hand over the pixels as uint8 [C, H, W]). Presets: "imagenet" (256 / 224,
// torchvision's mean and std), "none" (ToTensor only); custom values through ImagePreprocess
// directly.

#include "engine/tensor.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::workflows {

struct ImagePreprocess {
    std::int64_t resize = 0; // shorter side after resizing; 0 keeps the size
    std::int64_t crop = 0;   // centre crop to crop x crop; 0 keeps the size
    std::vector<double> mean{0.0};
    std::vector<double> std{1.0}; // one value, or one per channel
};

// "imagenet" or "none"; throws std::invalid_argument naming the preset and the known ones.
ImagePreprocess image_preset(std::string_view name);
std::vector<std::string> image_preset_names();

// uint8 [C, H, W] (C = 1, 3 or 4) to `channels` (1 or 3) channels as PIL's convert does: alpha
// dropped, grey repeated, RGB to grey by ITU-R 601-2 luma.
Tensor image_channels(const Tensor& image, std::int64_t channels);

// The uint8 image resized and cropped as `pre` says (still uint8 [C, h, w]): what the model sees,
// before normalisation, for showing the saliency over it.
Tensor resize_and_crop(const Tensor& image, const ImagePreprocess& pre);

// The model's input: float32 [1, C, h, w]. Throws std::invalid_argument for a mean or std of the
// wrong length, a zero std, an image that is not uint8 [C, H, W].
Tensor image_input(const Tensor& image, const ImagePreprocess& pre, std::int64_t channels = 3);

// A PNG or JPEG file (by its first bytes) as the model's input; throws std::runtime_error naming
// the file when it cannot be read as either.
Tensor image_file_input(const std::string& path, const ImagePreprocess& pre,
                        std::int64_t channels = 3);

} // namespace nnscope::workflows
