#pragma once
// ONNX TensorProto -> nnscope Tensor. The dims are checked when the model is opened (no negative
// dimension, no element count that overflows); the data is read only by load_onnx_tensor, which
// checks the stored bytes or values against the element count before it allocates anything.
// Data may be stored three ways (onnx.proto): raw_data (little-endian bytes), a typed repeated
// field (float_data, int32_data for int8/int16/uint8/bool/float16/bfloat16, int64_data,
// double_data), or in an external file next to the model (data_location EXTERNAL, keys
// location / offset / length), read when a tensor is loaded.

#include "engine/tensor.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace onnx {
class TensorProto;
}

namespace nnscope::io {

class FileSource;

// Our DType for an ONNX TensorProto.DataType, or nothing when nnscope has none (string, uint16,
// uint32, uint64, complex, float8, undefined).
std::optional<DType> dtype_from_onnx(int data_type);
// PyTorch's name where one exists ("float32"), else the ONNX name in lower case ("string"), or
// "onnx-type-<n>" for a number this ONNX version does not know.
std::string onnx_type_name(int data_type);

// The tensor's shape; throws std::runtime_error naming `what` for a negative dimension or an
// element count that does not fit in 63 bits.
Shape onnx_tensor_shape(const onnx::TensorProto& tensor, const std::string& what);

// Opens external data files on demand, each checked against its identity at the first open;
// safe to share between threads.
class ExternalDataFiles {
public:
    explicit ExternalDataFiles(std::filesystem::path model_folder);
    ~ExternalDataFiles();
    // The file `location` names, relative to the model's folder. Refuses absolute paths,
    // '..' components and any path (symbolic links included) that resolves outside the folder.
    std::shared_ptr<FileSource> open(const std::string& location);
    // The file's size in bytes, with the same checks. Both throw FileChangedError once the file
    // differs from the one first opened (rewritten, truncated or replaced by rename).
    std::uintmax_t size(const std::string& location);

private:
    std::filesystem::path resolve(const std::string& location); // caller holds the lock

    struct State;
    std::filesystem::path folder_;
    std::unique_ptr<State> state_;
};

// A tensor's raw_data bytes and what keeps them alive: the parsed message's own string, or the
// model file read into memory when the message was parsed with raw_data cut out (onnx_model.cpp).
struct RawData {
    std::byte* data = nullptr;
    std::size_t size = 0;
    std::shared_ptr<const void> owner;
};

// Every check load_onnx_tensor makes (dtype, dims, raw_data size, typed-field count, external
// location, offset and length against the data file's size), without reading any data. `raw`,
// when given, stands for the tensor's raw_data field.
void check_onnx_tensor(const onnx::TensorProto& tensor, const std::string& what,
                       ExternalDataFiles* external, const RawData* raw = nullptr);

// Reads the tensor's values: a fresh copy read from the file for external data and of `raw` when
// given, a copy of typed fields and of the message's own raw_data otherwise; a copy too of bytes
// misaligned for the dtype and of bool bytes other than 0/1. `external` may be null, which
// refuses external data. Throws std::runtime_error naming `what` and the problem.
Tensor load_onnx_tensor(const onnx::TensorProto& tensor, const std::string& what,
                        ExternalDataFiles* external, const RawData* raw = nullptr);

} // namespace nnscope::io
