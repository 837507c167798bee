#include "io/open_model.h"

#include "io/file_source.h"
#include "io/module_document.h"
#include "io/native_model.h"
#include "io/onnx/onnx_model.h"
#include "io/pytorch_archive.h"
#include "io/safetensors.h"
#include "io/type_inference.h"

#include <cstring>
#include <memory>
#include <stdexcept>

namespace nnscope::io {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path, const std::string& problem) {
    throw std::runtime_error(path.string() + ": " + problem);
}

std::string lower_extension(const std::filesystem::path& path) {
    std::string ext = path.extension().string();
    for (char& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

bool looks_like_safetensors(const std::byte* data, std::size_t size) {
    if (size < 10) return false;
    std::uint64_t header_length = 0;
    std::memcpy(&header_length, data, 8); // little-endian, as the format and this machine are
    return header_length >= 2 && header_length <= size - 8 && static_cast<char>(data[8]) == '{';
}

// The tree and roles of a native model come from the model itself, built from the architecture.
ModelDocument native_document(const std::filesystem::path& path) {
    const NativeModel model = load_native_model(path);
    ModelDocument document = module_document(model.module);
    for (const auto& [key, value] : model.metadata) // the module's own root type wins
        document.metadata.try_emplace(key, value);
    document.metadata["nnscope.seed"] = std::to_string(model.seed);
    return document;
}

ModelDocument plain_safetensors_document(const std::filesystem::path& path) {
    auto file = std::make_shared<SafetensorsFile>(path);
    ModelDocument document;
    document.format = ModelFormat::Safetensors;
    for (const auto& [key, value] : file->metadata())
        document.metadata[key] = value;
    for (const auto& name : file->names()) {
        const SafetensorsEntry& e = file->entry(name);
        TensorEntry entry;
        entry.name = name;
        entry.shape = e.shape;
        entry.dtype = e.dtype;
        entry.role = infer_state_dict_role(name, e.dtype, e.shape);
        entry.role_inferred = true;
        if (!e.unreadable_tag.empty()) { // "U16" -> "uint16", as numpy and PyTorch 2 name them
            entry.stored_dtype = "uint" + e.unreadable_tag.substr(1);
            entry.role = TensorRole::Unknown;
        }
        entry.load = [file, name] { return file->tensor(name); };
        document.tensors.push_back(std::move(entry));
    }
    try {
        document.modules = modules_from_tensor_names(document.tensors);
        infer_module_types(document);
    } catch (const std::runtime_error& e) {
        fail(path, e.what());
    }
    return document;
}

} // namespace

std::string detect_model_format(const std::filesystem::path& path) {
    const auto file = FileSource::open(path);
    const std::size_t size = file->size();
    // Enough of the start to tell formats apart: a safetensors header length and its "{".
    const auto head = file->read(0, std::min<std::size_t>(size, 16));
    if (looks_like_safetensors(head.data(), size)) {
        const SafetensorsHeader header = read_safetensors_header(path);
        return is_native_model(header.metadata) ? "nnscope" : "safetensors";
    }
    if (looks_like_pytorch_file(path)) return "pytorch";
    // ONNX is a bare protobuf message without a magic number: the extension decides.
    if (lower_extension(path) == ".onnx") return "onnx";
    return "";
}

ModelDocument open_safetensors_document(const std::filesystem::path& path) {
    const SafetensorsHeader header = read_safetensors_header(path);
    return is_native_model(header.metadata) ? native_document(path)
                                            : plain_safetensors_document(path);
}

ModelDocument open_model(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) fail(path, "no such file");
    if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory, not a model file");
    if (std::filesystem::is_regular_file(path, ec) && std::filesystem::file_size(path, ec) == 0 &&
        !ec)
        fail(path, "the file is empty (0 bytes)");
    const std::string format = detect_model_format(path);
    if (format == "nnscope" || format == "safetensors") return open_safetensors_document(path);
    if (format == "pytorch") return open_pytorch_file(path);
    if (format == "onnx") return open_onnx_file(path);
    fail(path, "not a model file nnscope knows (expected safetensors, a PyTorch .pt/.pth or "
               "TorchScript archive, or ONNX)");
}

} // namespace nnscope::io
