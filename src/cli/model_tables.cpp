#include "cli/model_tables.h"

#include <algorithm>
#include <unordered_set>

namespace nnscope::cli {

namespace {

std::string join(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
}

} // namespace

ModelTables tabulate(const nn::Module& root) {
    ModelTables tables;
    std::unordered_set<const TensorImpl*> seen;
    for (const auto& [path, module] : root.named_modules()) {
        ModuleRow row;
        row.path = path;
        row.type = module->type_name();
        row.arguments = module->extra_repr();
        row.depth = path.empty() ? 0 : 1 + std::count(path.begin(), path.end(), '.');
        for (const auto& param : module->parameters())
            row.params += param.numel();
        tables.modules.push_back(std::move(row));

        auto add = [&](const std::string& name, const Tensor& t, bool is_parameter) {
            if (!t.defined() || !seen.insert(t.unsafe_impl()).second) return;
            TensorRow tr;
            tr.name = join(path, name);
            tr.shape = t.shape();
            tr.dtype = std::string(dtype_name(t.dtype()));
            tr.is_parameter = is_parameter;
            tr.trainable = is_parameter && t.requires_grad();
            tr.numel = t.numel();
            if (!is_parameter)
                tables.buffers += tr.numel;
            else {
                tables.parameters += tr.numel;
                (tr.trainable ? tables.trainable : tables.non_trainable) += tr.numel;
            }
            tables.tensors.push_back(std::move(tr));
        };
        for (const auto& [name, t] : module->parameter_dict())
            add(name, t, true);
        for (const auto& [name, t] : module->buffer_dict())
            add(name, t, false);
    }
    return tables;
}

} // namespace nnscope::cli
