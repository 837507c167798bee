// Scaffold for issue #16: the rebuild branch replaces this file.
#include "io/module_rebuild.h"

#include <stdexcept>

namespace nnscope::io {

std::shared_ptr<nn::Module> rebuild_pytorch_module(const std::filesystem::path& path,
                                                   const std::string&) {
    throw std::runtime_error(path.string() + ": rebuilding PyTorch modules is not built yet");
}

} // namespace nnscope::io
