#pragma once
// Opens ONNX models (ModelProto, as torch.onnx, tf2onnx and others write them) through the
// protobuf classes of Debian's libonnx: file metadata, opsets, graph inputs and outputs, nodes
// with their attributes, and initializers as lazily loaded tensors. See ModelDocument for how the
// graph maps onto the document. Files are parsed with a byte limit equal to their size; files
// over 2 GB cannot be protobuf messages (large models keep their tensors as external data).

#include "io/model_document.h"

#include <filesystem>

namespace nnscope::io {

// Throws std::runtime_error naming the file and the problem.
ModelDocument open_onnx_file(const std::filesystem::path& path);

} // namespace nnscope::io
