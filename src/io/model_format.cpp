#include "io/model_format.h"

#include <array>
#include <stdexcept>
#include <string>

namespace nnscope::io {

namespace {

constexpr std::array all_formats{ModelFormat::Nnscope,     ModelFormat::Safetensors,
                                 ModelFormat::PytorchZip,  ModelFormat::PytorchLegacy,
                                 ModelFormat::Torchscript, ModelFormat::Onnx};

} // namespace

std::string_view to_string(ModelFormat format) {
    switch (format) {
    case ModelFormat::Nnscope:
        return "nnscope";
    case ModelFormat::Safetensors:
        return "safetensors";
    case ModelFormat::PytorchZip:
        return "pytorch-zip";
    case ModelFormat::PytorchLegacy:
        return "pytorch-legacy";
    case ModelFormat::Torchscript:
        return "torchscript";
    case ModelFormat::Onnx:
        break;
    }
    return "onnx";
}

ModelFormat parse_model_format(std::string_view text) {
    for (const ModelFormat format : all_formats)
        if (to_string(format) == text) return format;
    throw std::invalid_argument("unknown model format '" + std::string(text) +
                                "' (expected nnscope, safetensors, pytorch-zip, pytorch-legacy, "
                                "torchscript or onnx)");
}

} // namespace nnscope::io
