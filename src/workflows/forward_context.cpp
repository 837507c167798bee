#include "workflows/forward_context.h"

#include <stdexcept>

namespace nnscope::workflows {

ForwardContext::ForwardContext(nn::Module& root) {
    for (const auto& [path, module] : root.named_modules()) {
        const std::string label =
            (path.empty() ? std::string("root module") : "module '" + path + "'") + " (" +
            module->type_name() + ")";
        handles_.push_back(module->register_forward_pre_hook(
            [this, label](nn::Module&, const std::vector<Tensor>& inputs) {
                std::string shapes;
                for (const auto& t : inputs)
                    shapes += (shapes.empty() ? "" : ", ") +
                              (t.defined() ? shape_to_string(t.shape()) : "None");
                stack_.push_back(label + " on input " + shapes);
                return std::vector<Tensor>{};
            }));
        handles_.push_back(module->register_forward_hook(
            [this](nn::Module&, const std::vector<Tensor>&, const Tensor&) {
                stack_.pop_back();
                return Tensor();
            }));
    }
}

ForwardContext::~ForwardContext() {
    for (auto& h : handles_)
        h.remove();
}

void ForwardContext::rethrow_named(const std::exception& e) {
    if (stack_.empty()) throw;
    throw std::invalid_argument(stack_.back() + ": " + e.what());
}

} // namespace nnscope::workflows
