#pragma once
// PNG files of image tensors through libpng's simplified API: uint8 [H, W] (grey) or
// [C, H, W] with C = 1 (grey), 3 (RGB) or 4 (RGBA), channels first as torchvision holds them.

#include "engine/tensor.h"

#include <string>

namespace nnscope::data {

// The bytes of a PNG file of `image` (written to disk with io::write_file_atomically). Throws
// std::invalid_argument for another dtype or shape, std::runtime_error when libpng fails.
std::string encode_png(const Tensor& image);
// uint8 [C, H, W] with C = 1, 3 or 4 as stored (grey+alpha is widened to RGBA); throws
// std::runtime_error naming the path for a missing or corrupt file.
Tensor read_png(const std::string& path);

// An image of any dtype as uint8 [C, H, W] for display: floats in [0, 1] as round(x * 255),
// other float ranges stretched from their min..max to 0..255 (then *stretched is set), integer
// images clamped to 0..255. [H, W] becomes [1, H, W].
Tensor to_display_uint8(const Tensor& image, bool* stretched = nullptr);

} // namespace nnscope::data
