#pragma once
// An image file of either format the data library reads, picked by its first bytes (not its
// name): PNG (png_file.h) or JPEG (jpeg_file.h).

#include "engine/tensor.h"

#include <string>

namespace nnscope::data {

// The whole file; throws std::runtime_error naming the path when it cannot be read.
std::string read_file_bytes(const std::string& path);

// uint8 [C, H, W] (C = 1, 3 or 4) of a PNG or JPEG file; throws std::runtime_error naming the
// path for a missing file, one that is neither, or a corrupt one.
Tensor read_image(const std::string& path);

} // namespace nnscope::data
