#pragma once
// Writes a state_dict as torch.save (PyTorch >= 1.6) writes it, so that PyTorch 1.13's
// torch.load(path, weights_only=True) reads it back into the same OrderedDict of tensors:
//   <root>/data.pkl    protocol-2 pickle of collections.OrderedDict([(name, tensor), ...]), each
//                      tensor torch._utils._rebuild_tensor_v2(persistent storage id, storage
//                      offset, size, stride, False, OrderedDict())
//   <root>/data/<key>  each storage's raw little-endian bytes, STORED, 64-byte aligned
//   <root>/version     "3\n"
// (1.13 writes no byteorder record; readers assume little-endian without one.) Tensors that share
// a Storage share it in the file too, keeping their offsets and strides, as torch.save does: the
// whole storage is written once. A tensor whose storage is also used with another dtype, or whose
// storage size is not a whole number of elements, gets a contiguous storage of its own.

#include "io/safetensors.h" // NamedTensors

#include <filesystem>
#include <string>

namespace nnscope::io {

struct PytorchSaveOptions {
    // The archive's root folder. torch.save names it after the file ("model" for model.pt); the
    // name does not matter to readers, and a fixed one keeps the bytes independent of the path.
    std::string archive_name = "archive";
    // false: every tensor gets its own compact contiguous storage (smaller files when tensors
    // view a small part of large storages), sharing is lost.
    bool keep_shared_storage = true;
};

// PyTorch's storage class for a dtype: "FloatStorage", "BFloat16Storage", "BoolStorage", ...
std::string pytorch_storage_class(DType dtype);

// Names must be unique and non-empty; tensors defined. Writes a temporary file beside the path
// and renames it. Throws std::invalid_argument / std::runtime_error naming the file.
void save_pytorch_state_dict(const std::filesystem::path& path, const NamedTensors& tensors,
                             const PytorchSaveOptions& options = {});

} // namespace nnscope::io
