// ModuleSpec <-> module tree, through the nn factory (and torchvision's blocks).

#include "engine/nn/registry.h"
#include "io/architecture.h"
#include "vision/torchvision_models.h"

#include <stdexcept>

namespace nnscope::io {

namespace {

std::string describe_path(const std::string& path, const std::string& type) {
    return (path.empty() ? std::string("root module") : "module '" + path + "'") + " (" + type +
           ")";
}

std::string join_path(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
}

// After the constructor and the children, as a subclass's __init__ would add them.
void declare_tensors(nn::Module& module, const ModuleSpec& spec, const std::string& path) {
    for (const auto& declaration : spec.tensors) {
        try {
            module.declare_tensor(declaration);
        } catch (const std::exception& e) {
            throw std::invalid_argument("architecture: " + describe_path(path, spec.type) +
                                        ": cannot declare tensor '" + declaration.name +
                                        "': " + e.what());
        }
    }
}

nn::ModulePtr build_node(const ModuleSpec& spec, const std::string& path);

nn::ModulePtr build(const ModuleSpec& spec, const std::string& path) {
    nn::ModulePtr module = build_node(spec, path);
    declare_tensors(*module, spec, path);
    return module;
}

nn::ModulePtr build_node(const ModuleSpec& spec, const std::string& path) {
    nn::ModulePtr module;
    try {
        // torchvision's blocks (a model `convert --architecture torchvision:NAME` wrote) are not
        // torch.nn classes: the vision library builds them, empty, and the file lists children.
        module = vision::make_torchvision_module_by_type(spec.type, spec.arguments);
        if (!module) module = nn::make_module(spec.type, spec.arguments);
    } catch (const std::exception& e) {
        throw std::invalid_argument("architecture: " + describe_path(path, spec.type) + ": " +
                                    e.what());
    }
    if (!module)
        throw std::invalid_argument("architecture: " + describe_path(path, spec.type) +
                                    ": the factory returned no module");

    const auto own_children = module->named_children();
    if (own_children.empty()) {
        // A container: its children come from the file, built in order (leaves in order, so
        // default init draws from the generator as PyTorch does).
        for (const auto& [name, child_spec] : spec.children) {
            auto child = build(child_spec, join_path(path, name));
            try {
                module->register_module(name, child);
            } catch (const std::exception& e) {
                throw std::invalid_argument("architecture: " + describe_path(path, spec.type) +
                                            ": cannot add child '" + name + "': " + e.what());
            }
        }
        return module;
    }

    // A module that builds its own children (its constructor did): the file may list them, and
    // then they must be what the constructor made.
    if (spec.children.empty()) return module;
    if (spec.children.size() != own_children.size())
        throw std::invalid_argument("architecture: " + describe_path(path, spec.type) + ": has " +
                                    std::to_string(own_children.size()) +
                                    " children of its own, the file lists " +
                                    std::to_string(spec.children.size()));
    for (std::size_t i = 0; i < own_children.size(); ++i) {
        const auto& [name, child] = own_children[i];
        const auto& [spec_name, child_spec] = spec.children[i];
        const std::string type = child ? child->type_name() : "None";
        if (name != spec_name || type != child_spec.type)
            throw std::invalid_argument("architecture: " + describe_path(path, spec.type) +
                                        ": child " + std::to_string(i) + " is '" + name + "' (" +
                                        type + "), the file says '" + spec_name + "' (" +
                                        child_spec.type + ")");
    }
    return module;
}

} // namespace

ModuleSpec describe_module(const nn::Module& module) {
    ModuleSpec spec;
    spec.type = module.type_name();
    spec.arguments = module.arguments();
    spec.tensors = module.declared_tensors();
    for (const auto& [name, child] : module.named_children())
        if (child) spec.children.push_back({name, describe_module(*child)});
    return spec;
}

nn::ModulePtr build_module(const ModuleSpec& spec) {
    return build(spec, "");
}

} // namespace nnscope::io
