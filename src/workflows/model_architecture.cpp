#include "workflows/model_architecture.h"

#include "io/native_model.h"
#include "vision/torchvision_models.h"

#include <algorithm>
#include <stdexcept>

namespace nnscope::workflows {

namespace {

constexpr std::string_view torchvision_prefix = "torchvision:";

// Whether `from` converts to `to` without rounding (same dtype or exact widening).
bool holds_exactly(DType to, DType from) {
    if (to == from) return true;
    switch (from) {
    case DType::Float16:
    case DType::BFloat16:
        return to == DType::Float32 || to == DType::Float64;
    case DType::Float32:
        return to == DType::Float64;
    default:
        return false;
    }
}

[[noreturn]] void refuse(const std::string& why) {
    throw std::runtime_error(why);
}

} // namespace

std::shared_ptr<nn::Module> architecture_model(const std::string& architecture) {
    if (architecture.starts_with(torchvision_prefix))
        return vision::build_torchvision_model(
            std::string_view(architecture).substr(torchvision_prefix.size()));
    return io::load_native_model(architecture).module;
}

nn::IncompatibleKeys load_state_dict_into(nn::Module& module, const io::ModelDocument& document,
                                          bool strict) {
    const bool module_state =
        std::any_of(document.tensors.begin(), document.tensors.end(),
                    [](const auto& e) { return e.role != io::TensorRole::Unknown; });
    if (!document.tensors.empty() && !module_state)
        refuse("the input holds only optimizer state (no parameters or buffers): there is no "
               "model to load");
    const std::string strip = document.metadata.count("nnscope.dataparallel") ? "module." : "";
    // The module's tensors by key, without state_dict(): its hooks fire for saving only.
    nn::StateDict own;
    for (const auto& [key, t] : module.named_parameters())
        own.insert(key, t);
    for (const auto& [key, t] : module.named_buffers())
        own.insert(key, t);
    nn::StateDict state;
    for (const auto& entry : document.tensors) {
        const std::string key = entry.name.substr(entry.name.starts_with(strip) ? strip.size() : 0);
        const Tensor* target = own.find(key);
        if (target && entry.shape == target->shape() &&
            !holds_exactly(target->dtype(), entry.dtype))
            refuse("tensor '" + key + "' is " + std::string(dtype_name(entry.dtype)) +
                   ", which the model's " + std::string(dtype_name(target->dtype())) +
                   " tensor cannot hold exactly");
        state.insert(key, entry.load());
    }
    return module.load_state_dict(state, strict);
}

} // namespace nnscope::workflows
