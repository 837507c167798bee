#include "io/module_build.h"

#include "engine/nn/registry.h"
#include "vision/torchvision_models.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace nnscope::io {

namespace {

std::string describe(const ModuleRecord& record) {
    return "module '" + (record.path.empty() ? std::string("(root)") : record.path) + "' (" +
           record.qualified_name + ")";
}

std::string class_name(const std::string& qualified) {
    const std::size_t dot = qualified.rfind('.');
    return dot == std::string::npos ? qualified : qualified.substr(dot + 1);
}

// torch.nn's constructor arguments from the attributes a module keeps of them. Every torch.nn
// class nnscope builds stores its arguments under their own names, except `bias`, which is
// whether the bias parameter is there.
nn::Arguments torch_arguments(const ModuleRecord& record, const std::string& type) {
    nn::Arguments arguments;
    for (const std::string& name : nn::module_argument_names(type)) {
        if (const nn::Value* value = record.attribute(name)) {
            arguments.emplace_back(name, *value);
        } else if (name == "bias") {
            arguments.emplace_back(name, nn::Value(record.tensor("bias") != nullptr));
        }
    }
    return arguments;
}

// A hostile file can declare Linear(1, 10**12) with a tiny weight: building it would allocate
// the declared size before the shapes are compared. The product of the arguments that size a
// layer's tensors (per group) must stay near the size of the tensors the file holds.
void check_declared_size(const ModuleRecord& record) {
    double declared = 1.0;
    for (const auto& [name, value] : record.attributes) {
        static const char* const sizing[] = {"in_features",    "out_features",  "in_channels",
                                             "out_channels",   "kernel_size",   "num_features",
                                             "num_embeddings", "embedding_dim", "normalized_shape"};
        if (std::find(std::begin(sizing), std::end(sizing), name) == std::end(sizing)) continue;
        const nn::Value::List single{value};
        for (const nn::Value& v : value.is_list() ? value.as_list() : single)
            if (v.is_int() && v.as_int() > 1) declared *= static_cast<double>(v.as_int());
    }
    if (const nn::Value* groups = record.attribute("groups");
        groups && groups->is_int() && groups->as_int() > 1)
        declared /= static_cast<double>(groups->as_int());
    double held = 0.0;
    for (const auto* list : {&record.parameters, &record.buffers})
        for (const auto& [name, tensor] : *list)
            if (tensor.defined()) held += static_cast<double>(tensor.numel());
    if (declared > 64.0 * held + 65536.0)
        throw std::invalid_argument(
            describe(record) + ": its attributes declare tensors of about " +
            std::to_string(static_cast<unsigned long long>(std::min(declared, 1e19))) +
            " elements but the file holds " + std::to_string(static_cast<long long>(held)));
}

nn::ModulePtr make_empty(const ModuleRecord& record) {
    const std::string& qualified = record.qualified_name;
    if (qualified.starts_with("torch.nn.")) {
        const std::string type = class_name(qualified);
        const auto known = nn::module_type_names();
        if (!std::binary_search(known.begin(), known.end(), type))
            throw std::invalid_argument(
                describe(record) + ": torch.nn." + type +
                " is not one of the layers nnscope's engine implements, so its forward cannot "
                "run here; export the model to ONNX (torch.onnx.export) instead");
        check_declared_size(record);
        try {
            return nn::make_module(type, torch_arguments(record, type));
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(describe(record) + ": " + e.what());
        }
    }
    if (qualified.starts_with("torchvision.")) {
        nn::ModulePtr module;
        try {
            module = vision::make_torchvision_module(qualified, record.attributes);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(describe(record) + ": " + e.what());
        }
        if (module) return module;
    }
    throw std::invalid_argument(unknown_class_message(record));
}

class Builder {
public:
    nn::ModulePtr build(const ModuleRecord& record) {
        if (auto it = built_.find(&record); it != built_.end()) return it->second;
        nn::ModulePtr module = make_empty(record);
        module->train(record.training); // no children yet: only this module
        const std::string type = class_name(record.qualified_name);
        const bool takes_children =
            !record.qualified_name.starts_with("torch.nn.") || nn::is_container_type(type);
        for (const auto& [name, child] : record.children) {
            if (!takes_children)
                throw std::invalid_argument(describe(record) + " has a submodule '" + name +
                                            "', which torch.nn." + type + " does not have");
            try {
                module->register_module(name, child ? build(*child) : nullptr);
            } catch (const std::invalid_argument&) {
                throw;
            } catch (const std::exception& e) { // register_module's own checks
                throw std::invalid_argument(describe(record) + ": submodule '" + name +
                                            "': " + e.what());
            }
        }
        load_tensors(record, *module);
        built_.emplace(&record, module);
        return module;
    }

private:
    // The record's parameters and buffers replace the module's own, one for one (copied: the
    // file's bytes stay read-only).
    static void load_tensors(const ModuleRecord& record, nn::Module& module) {
        nn::StateDict own;
        for (const auto* list : {&record.parameters, &record.buffers})
            for (const auto& [name, tensor] : *list) {
                const bool persistent = std::find(record.non_persistent_buffers.begin(),
                                                  record.non_persistent_buffers.end(),
                                                  name) == record.non_persistent_buffers.end();
                if (tensor.defined() && persistent) own.insert(name, tensor);
            }
        check_same_names(record, module, own);
        for (const auto& [name, tensor] : own) {
            const bool is_parameter = module.parameter_dict().contains(name);
            const Tensor target = is_parameter ? module.parameter(name) : module.buffer(name);
            if (target.shape() != tensor.shape())
                throw std::invalid_argument(describe(record) + ": '" + name + "' has shape " +
                                            shape_to_string(tensor.shape()) + " in the file but " +
                                            shape_to_string(target.shape()) +
                                            " for the module its attributes describe");
            if (target.dtype() != tensor.dtype())
                throw std::invalid_argument(describe(record) + ": '" + name + "' is " +
                                            std::string(dtype_name(tensor.dtype())) +
                                            " in the file but the module keeps it as " +
                                            std::string(dtype_name(target.dtype())));
            if (is_parameter)
                module.register_parameter(name, tensor.detach().clone());
            else
                module.register_buffer(name, tensor.detach().clone(),
                                       module.is_persistent_buffer(name));
        }
    }

    static void check_same_names(const ModuleRecord& record, const nn::Module& module,
                                 const nn::StateDict& own) {
        std::string missing;
        std::string unexpected;
        for (const auto& [name, tensor] : module.named_parameters("", false))
            if (!own.contains(name)) missing += (missing.empty() ? "'" : ", '") + name + "'";
        for (const auto& [name, tensor] : module.named_buffers("", false))
            if (module.is_persistent_buffer(name) && !own.contains(name))
                missing += (missing.empty() ? "'" : ", '") + name + "'";
        for (const auto& [name, tensor] : own) {
            const bool known =
                module.parameter_dict().contains(name) || module.buffer_dict().contains(name);
            if (!known) unexpected += (unexpected.empty() ? "'" : ", '") + name + "'";
        }
        if (!missing.empty())
            throw std::invalid_argument(describe(record) + ": the file has no tensor " + missing +
                                        " that this module needs");
        if (!unexpected.empty())
            throw std::invalid_argument(describe(record) + ": the file has tensor(s) " +
                                        unexpected + " that " + module.type_name() +
                                        " does not have");
    }

    std::map<const ModuleRecord*, nn::ModulePtr> built_;
};

} // namespace

nn::ModulePtr build_module(const ModuleRecord& record) {
    return Builder().build(record);
}

std::string unknown_class_message(const ModuleRecord& record) {
    std::string children;
    for (const auto& [name, child] : record.children)
        if (child) children += (children.empty() ? "" : ", ") + name;
    const std::string why =
        record.torchscript
            ? "its forward is TorchScript code, which nnscope does not interpret (it runs "
              "torch.nn and torchvision classes with its own engine)"
            : "its forward is Python code, which the file does not contain (a pickle stores a "
              "module's class name and attributes, not its code)";
    std::string message = describe(record) + " cannot be run: " + record.qualified_name +
                          " is not a torch.nn or torchvision class and " + why +
                          ". Export the model to ONNX (torch.onnx.export) or to TorchScript "
                          "of standard layers instead";
    if (!children.empty())
        message += ", or run its standard submodules one at a time by module path (" +
                   (record.path.empty() ? "" : record.path + ".") + "<name>: " + children + ")";
    return message + ".";
}

} // namespace nnscope::io
