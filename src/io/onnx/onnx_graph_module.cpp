// Scaffold for issue #16: the onnx branch replaces this file.
#include "io/onnx/onnx_graph_module.h"

#include <stdexcept>

namespace nnscope::io {

std::shared_ptr<nn::Module> load_onnx_module(const std::filesystem::path& path) {
    throw std::runtime_error(path.string() + ": running ONNX models is not built yet");
}

std::optional<std::string> onnx_node_scope(const nn::Module&) { return std::nullopt; }

} // namespace nnscope::io
