#include "workflows/model_architecture.h"

#include "engine/autograd/grad_mode.h"
#include "io/native_model.h"
#include "vision/torchvision_models.h"

#include <algorithm>
#include <map>
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

void load_state_dict_into(nn::Module& module, const io::ModelDocument& document) {
    const bool module_state =
        std::any_of(document.tensors.begin(), document.tensors.end(),
                    [](const auto& e) { return e.role != io::TensorRole::Unknown; });
    if (!document.tensors.empty() && !module_state)
        refuse("the input holds only optimizer state (no parameters or buffers): there is no "
               "model to load");
    const std::string strip = document.metadata.count("nnscope.dataparallel") ? "module." : "";
    nn::StateDict state = module.state_dict();
    std::map<std::string, const io::TensorEntry*> by_key;
    for (const auto& entry : document.tensors)
        by_key[entry.name.substr(entry.name.starts_with(strip) ? strip.size() : 0)] = &entry;
    for (const auto& [key, target] : state) {
        const auto found = by_key.find(key);
        if (found == by_key.end()) refuse("the input has no tensor '" + key + "'");
        const io::TensorEntry& entry = *found->second;
        if (entry.shape != target.shape())
            refuse("tensor '" + key + "' has shape " + shape_to_string(entry.shape) +
                   ", the architecture expects " + shape_to_string(target.shape()));
        if (!holds_exactly(target.dtype(), entry.dtype))
            refuse("tensor '" + key + "' is " + std::string(dtype_name(entry.dtype)) +
                   ", which the model's " + std::string(dtype_name(target.dtype())) +
                   " tensor cannot hold exactly");
    }
    for (const auto& [key, entry] : by_key)
        if (!state.contains(key))
            refuse("tensor '" + entry->name + "' is not in the architecture's state_dict");
    autograd::NoGradGuard no_grad;
    for (auto& [key, target] : state) {
        Tensor destination = target;
        destination.copy_(by_key.at(key)->load());
    }
}

} // namespace nnscope::workflows
