#pragma once
// JPEG files of images through libjpeg (Debian's libjpeg62-turbo): decoded to uint8 [C, H, W],
// channels first as torchvision holds them, as PIL's decoding gives them (libjpeg's default
// islow IDCT and fancy upsampling). libjpeg's fatal errors, and its warnings about corrupt or
// truncated data (which it would otherwise fill with grey), end the read with an exception:
// its error_exit never calls exit().

#include "engine/tensor.h"

#include <string>
#include <string_view>

namespace nnscope::data {

// Whether `bytes` start as a JPEG file does (the SOI marker and the next marker's 0xFF).
bool looks_like_jpeg(std::string_view bytes);

// uint8 [1, H, W] for a greyscale JPEG, [3, H, W] (RGB) for any other; throws
// std::runtime_error naming `what` (a path) and libjpeg's reason for a corrupt or truncated
// file, or one larger than 2^29 pixels x channels.
Tensor decode_jpeg(std::string_view bytes, const std::string& what);
Tensor read_jpeg(const std::string& path);

} // namespace nnscope::data
