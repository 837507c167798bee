#include "workflows/registered_tensors.h"

#include <map>

namespace nnscope::workflows {

namespace {

std::string join(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
}

// A lazy module's slot declared None by its arguments (LazyLinear(bias=False)).
bool declared_none(const nn::Module& m, const std::string& name) {
    for (const auto& [argument, value] : m.arguments())
        if (argument == name && value.is_bool()) return !value.as_bool();
    return false;
}

void describe(RegisteredTensor& t) {
    if (t.is_none) {
        t.why = "None: a slot with no tensor (e.g. bias=False); nothing is saved or updated";
        return;
    }
    if (!t.shared_with.empty()) {
        t.why = "the same tensor as '" + t.shared_with +
                "' (tied): saved under both keys, updated once";
        return;
    }
    if (t.kind == RegisteredTensor::Kind::Parameter) {
        t.why = t.uninitialized ? "lazy parameter: no shape until the first forward fixes it; "
                                  "then saved and updated by the optimizer"
                : t.requires_grad
                    ? "parameter: saved, updated by the optimizer"
                    : "parameter with requires_grad=False (frozen): saved, its gradient stays "
                      "None, so the optimizer leaves it";
        return;
    }
    t.why = t.persistent ? "buffer: saved, never updated by the optimizer"
                         : "buffer registered with persistent=False: neither saved in "
                           "state_dict nor updated by the optimizer";
}

} // namespace

bool is_uninitialized_parameter(const nn::Module& module, const std::string& name) {
    return module.parameter_dict().contains(name) && !module.parameter(name).defined() &&
           module.has_uninitialized_params() && !declared_none(module, name);
}

std::vector<RegisteredTensor> registered_tensors(const nn::Module& model) {
    std::vector<RegisteredTensor> out;
    std::map<const void*, std::string> first_key; // tensor identity -> first key
    for (const auto& [path, module] : model.named_modules()) {
        auto add = [&](const std::string& name, const Tensor& t, RegisteredTensor::Kind kind) {
            RegisteredTensor r;
            r.key = join(path, name);
            r.module = path;
            r.name = name;
            r.kind = kind;
            r.uninitialized = kind == RegisteredTensor::Kind::Parameter &&
                              is_uninitialized_parameter(*module, name);
            r.is_none = !t.defined() && !r.uninitialized;
            if (kind == RegisteredTensor::Kind::Buffer)
                r.persistent = module->is_persistent_buffer(name);
            if (t.defined()) {
                r.requires_grad = t.requires_grad();
                r.shape = t.shape();
                r.dtype = t.dtype();
                const auto [it, added] =
                    first_key.try_emplace(static_cast<const void*>(t.unsafe_impl()), r.key);
                if (!added) r.shared_with = it->second;
            }
            r.saved = !r.is_none && !r.uninitialized && r.persistent;
            r.optimized = kind == RegisteredTensor::Kind::Parameter && !r.is_none &&
                          r.requires_grad && r.shared_with.empty();
            describe(r);
            out.push_back(std::move(r));
        };
        for (const auto& [name, t] : module->parameter_dict())
            add(name, t, RegisteredTensor::Kind::Parameter);
        for (const auto& [name, t] : module->buffer_dict())
            add(name, t, RegisteredTensor::Kind::Buffer);
    }
    return out;
}

SavedKeys saved_keys(const nn::Module& model) {
    SavedKeys keys;
    for (const auto& t : registered_tensors(model)) {
        if (t.saved)
            keys.saved.push_back(t.key);
        else
            keys.left_out.emplace_back(t.key, t.why);
    }
    return keys;
}

} // namespace nnscope::workflows
