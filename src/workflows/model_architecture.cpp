#include "workflows/model_architecture.h"

#include <stdexcept>

namespace nnscope::workflows {

std::shared_ptr<nn::Module> architecture_model(const std::string&) {
    throw std::logic_error("architecture_model: not implemented yet (issue #16)");
}

void load_state_dict_into(nn::Module&, const io::ModelDocument&) {
    throw std::logic_error("load_state_dict_into: not implemented yet (issue #16)");
}

} // namespace nnscope::workflows
