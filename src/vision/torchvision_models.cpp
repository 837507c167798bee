// Scaffold for issue #16: the vision branch replaces this file.
#include "vision/torchvision_models.h"

#include <stdexcept>

namespace nnscope::vision {

std::vector<std::string> torchvision_model_names() { return {}; }

std::shared_ptr<nn::Module> build_torchvision_model(std::string_view name, std::int64_t) {
    throw std::invalid_argument("unknown torchvision architecture '" + std::string(name) + "'");
}

nn::ModulePtr make_torchvision_module(std::string_view, const nn::Arguments&) { return nullptr; }

} // namespace nnscope::vision
