#include "io/onnx/onnx_tensor_file.h"

#include "io/onnx/onnx_tensor.h"

#include <fstream>
#include <onnx/onnx_pb.h>
#include <sstream>
#include <stdexcept>

namespace nnscope::io {

Tensor read_onnx_tensor_file(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error(path.string() + ": cannot open the file");
    std::ostringstream bytes;
    bytes << file.rdbuf();
    onnx::TensorProto tensor;
    if (!tensor.ParseFromString(bytes.str()))
        throw std::runtime_error(path.string() + ": not an ONNX TensorProto");
    return load_onnx_tensor(tensor, path.string(), nullptr);
}

} // namespace nnscope::io
