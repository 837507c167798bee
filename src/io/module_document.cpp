#include "io/module_document.h"

#include <unordered_set>

namespace nnscope::io {

ModelDocument module_document(const nn::ModulePtr& root) {
    ModelDocument document;
    document.format = ModelFormat::Nnscope;
    std::unordered_set<const TensorImpl*> seen;
    for (const auto& [module_path, module] : root->named_modules()) {
        if (!module_path.empty()) document.modules.emplace_back(module_path, module->type_name());
        document.module_arguments[module_path] = module->extra_repr();
        const std::string prefix = module_path.empty() ? "" : module_path + ".";
        auto add = [&](const std::string& name, const Tensor& t, bool parameter, bool persistent) {
            if (!t.defined() || !seen.insert(t.unsafe_impl()).second) return;
            TensorEntry entry;
            entry.name = prefix + name;
            entry.shape = t.shape();
            entry.dtype = t.dtype();
            entry.role = parameter ? TensorRole::Parameter : TensorRole::Buffer;
            if (parameter)
                entry.requires_grad = t.requires_grad();
            else
                entry.persistent = persistent;
            // The module keeps the tensor alive; the document holds the module through it.
            entry.load = [t, root] { return t.detach(); };
            document.tensors.push_back(std::move(entry));
        };
        for (const auto& [name, t] : module->parameter_dict())
            add(name, t, true, true);
        for (const auto& [name, t] : module->buffer_dict())
            add(name, t, false, module->is_persistent_buffer(name));
    }
    document.metadata["nnscope.root_type"] = root->type_name();
    return document;
}

} // namespace nnscope::io
