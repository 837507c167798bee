#pragma once
// One entry point for every model file nnscope opens: the format is told from the file's first
// bytes (and the extension only where the format has no magic), then the format's reader builds
// the ModelDocument. Nothing is executed and tensor data stays unread until asked for.

#include "io/model_document.h"

#include <filesystem>
#include <string>

namespace nnscope::io {

// "nnscope", "safetensors", "pytorch" (zip, legacy or TorchScript: told apart by the reader),
// "onnx", or "" when the file is none of them. Throws when the file cannot be read at all.
std::string detect_model_format(const std::filesystem::path& path);

// Opens any supported file. Throws std::runtime_error / std::invalid_argument naming the file and
// the problem (unknown format, malformed contents, a refused pickle global).
ModelDocument open_model(const std::filesystem::path& path);

// The document of a safetensors file: a native model's real module tree, types, arguments and
// roles, or for a plain file a tree from the dotted names and roles inferred from them.
ModelDocument open_safetensors_document(const std::filesystem::path& path);

} // namespace nnscope::io
