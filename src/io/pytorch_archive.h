#pragma once
// Opens files written by torch.save and torch.jit.save without running anything they contain:
//   - zip archives (PyTorch >= 1.6): <root>/data.pkl with storages in <root>/data/<key>, any root
//     folder name, an optional <root>/byteorder record;
//   - the legacy format (PyTorch < 1.6, or _use_new_zipfile_serialization=False): pickles of the
//     magic number, protocol version and sys_info, then the object, then the storage keys, then
//     each storage's 8-byte element count and raw bytes;
//   - TorchScript archives: data.pkl (module objects read as class name + attributes),
//     constants.pkl, and code/ read as text for each class's __parameters__ and __buffers__;
//   - a plain pickle (pickle.dump, .pkl): its values, placeholders and NumPy arrays.
// Whole pickled nn.Modules (torch.save(model)) give the module tree (io/pickle/module_tree.h).
// Pickles go through the restricted unpickler in io/pickle. Opening reads the directory and the
// pickles only; tensor data is loaded lazily, read from the file when asked for.

#include "io/model_document.h"
#include "io/pickle/document_builder.h"
#include "io/pickle/value.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace nnscope::io {

// Whether the file starts like one of the formats above (a zip archive or a protocol-2 pickle).
bool looks_like_pytorch_file(const std::filesystem::path& path);

// Throws std::runtime_error naming the file and the problem (a refused global is named as
// pickle::UnsafePickleError, derived from std::runtime_error).
ModelDocument open_pytorch_file(const std::filesystem::path& path);

// The object a file stores, read through the restricted unpickler (nothing is run), for readers
// that need more than the document: the module rebuilder (io/module_rebuild.h).
struct PytorchObject {
    pickle::ValuePtr root; // data.pkl's object, or the legacy format's object pickle
    std::shared_ptr<const pickle::StorageProvider> storages;
    bool torchscript = false;
    // TorchScript only: the printed source of the code/ file that defines a class, by the
    // qualified name data.pkl gives it ("" when the archive has no such file). Thread-safe.
    std::function<std::string(const std::string& qualified_name)> class_source;
};

// Throws as open_pytorch_file does.
PytorchObject read_pytorch_object(const std::filesystem::path& path);

} // namespace nnscope::io
