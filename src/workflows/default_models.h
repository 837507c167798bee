#pragma once
// The bundled default models (resources/models/mlp.safetensors and cnn.safetensors hold the same
// architectures with seed 0), so that `--model mlp` works wherever the binary is installed.

#include "io/native_model.h"

#include <optional>
#include <string>
#include <string_view>

namespace nnscope::workflows {

// The architecture JSON of a bundled model ("mlp" or "cnn"), or nothing for another name.
std::optional<std::string> default_model_architecture(std::string_view name);

// A bundled model by name, else a native model file at that path.
io::NativeModel load_model(const std::string& name_or_path);

} // namespace nnscope::workflows
