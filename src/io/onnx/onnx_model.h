#pragma once
// Opens ONNX models (ModelProto, as torch.onnx, tf2onnx and others write them) through the
// protobuf classes of Debian's libonnx: file metadata, opsets, graph inputs and outputs, nodes
// with their attributes, and initializers as lazily loaded tensors. See ModelDocument for how the
// graph maps onto the document. The file is read into memory once (a message has no index);
// initializers' raw_data (nearly all of a large model) is cut out of the message before it is
// parsed and later viewed in that copy, so parsing costs the graph only. Files over 2 GB cannot be
// protobuf messages (large models keep their tensors as external data).

#include "io/model_document.h"

#include <filesystem>

namespace nnscope::io {

// Throws std::runtime_error naming the file and the problem.
ModelDocument open_onnx_file(const std::filesystem::path& path);

} // namespace nnscope::io
