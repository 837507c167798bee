#pragma once
// The kind of file a ModelDocument was read from. Turned into text only where users or files see
// it: JSON, the CLI and the window.

#include <cstdint>
#include <string_view>

namespace nnscope::io {

enum class ModelFormat : std::uint8_t {
    Nnscope,       // nnscope's native model (safetensors with an architecture)
    Safetensors,   // a plain safetensors state_dict
    PytorchZip,    // torch.save since PyTorch 1.6
    PytorchLegacy, // torch.save before 1.6 (one pickle stream)
    Torchscript,   // torch.jit.save
    Onnx,
};

// "nnscope", "safetensors", "pytorch-zip", "pytorch-legacy", "torchscript", "onnx".
std::string_view to_string(ModelFormat format);

// The inverse of to_string; throws std::invalid_argument naming the text for anything else.
ModelFormat parse_model_format(std::string_view text);

} // namespace nnscope::io
