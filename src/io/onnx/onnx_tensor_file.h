#pragma once
// A file holding one serialized ONNX TensorProto (the .pb files of ONNX's backend test data).

#include "engine/tensor.h"

#include <filesystem>

namespace nnscope::io {

// Throws std::runtime_error naming the file when it is no TensorProto of a dtype we have.
Tensor read_onnx_tensor_file(const std::filesystem::path& path);

} // namespace nnscope::io
