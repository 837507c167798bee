#include "io/pickle/module_tree.h"

#include "io/pickle/module_repr.h"

#include <algorithm>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

namespace nnscope::io::pickle {

namespace {

const Value* state_dict_of(const Value& module, std::string_view key) {
    const Value* v = module.state ? dict_find(*module.state, key) : nullptr;
    return v && v->kind == Kind::Dict ? v : nullptr;
}

std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

std::optional<std::string> string_key(const Value& key) {
    return as_text(key);
}

class TreeBuilder {
public:
    TreeBuilder(ModelDocument& document, const std::shared_ptr<const StorageProvider>& storages,
                const std::function<void(const Value&, const std::string&)>& other)
        : document_(document)
        , storages_(storages)
        , other_(other) {}

    // named_modules(): pre-order, each module once.
    void collect(const Value& module, const std::string& path) {
        if (!seen_modules_.insert(&module).second) return;
        check_module_depth(path, "module");
        modules_.emplace_back(&module, path);
        const Value* children = state_dict_of(module, "_modules");
        if (!children) return;
        for (std::size_t i = 0; i + 1 < children->items.size(); i += 2) {
            const auto name = string_key(*children->items[i]);
            const Value& child = *children->items[i + 1];
            if (name && is_pickled_module(child)) collect(child, join(path, *name));
        }
    }

    void emit() {
        for (const auto& [module, path] : modules_) {
            const std::string type = module_type_name(module->text);
            document_.modules.emplace_back(path, type);
            const std::string repr = module_extra_repr(type, *module->state);
            if (!repr.empty()) document_.module_arguments[path] = repr;
        }
        // The tensors in state_dict order: each module's parameters, then its buffers.
        for (const auto& [module, path] : modules_) {
            add_registered(*module, path, "_parameters", TensorRole::Parameter);
            add_registered(*module, path, "_buffers", TensorRole::Buffer);
            add_other_attributes(*module, path);
        }
    }

private:
    void add_registered(const Value& module, const std::string& path, std::string_view slot,
                        TensorRole role) {
        const Value* tensors = state_dict_of(module, slot);
        if (!tensors) return;
        const Value* non_persistent =
            module.state ? dict_find(*module.state, "_non_persistent_buffers_set") : nullptr;
        auto& seen = role == TensorRole::Parameter ? seen_parameters_ : seen_buffers_;
        for (std::size_t i = 0; i + 1 < tensors->items.size(); i += 2) {
            const auto name = string_key(*tensors->items[i]);
            const Value& value = *tensors->items[i + 1];
            if (!name || value.kind != Kind::Tensor || !seen.insert(&value).second) continue;
            TensorEntry entry = tensor_entry(*value.tensor, join(path, *name), storages_);
            entry.role = role;
            entry.role_inferred = false;
            if (role == TensorRole::Parameter) {
                entry.requires_grad = value.tensor->requires_grad;
            } else {
                entry.persistent = !(non_persistent && contains_name(*non_persistent, *name));
            }
            document_.tensors.push_back(std::move(entry));
        }
    }

    static bool contains_name(const Value& set, const std::string& name) {
        for (const auto& item : set.items)
            if (as_text(*item) == name) return true;
        return false;
    }

    void add_other_attributes(const Value& module, const std::string& path) {
        const Value& dict = *module.state;
        for (std::size_t i = 0; i + 1 < dict.items.size(); i += 2) {
            const auto name = string_key(*dict.items[i]);
            const Value& value = *dict.items[i + 1];
            if (!name || name->starts_with('_') || is_plain_data(value) || is_pickled_module(value))
                continue;
            other_(value, join(path, *name));
        }
    }

    ModelDocument& document_;
    const std::shared_ptr<const StorageProvider>& storages_;
    const std::function<void(const Value&, const std::string&)>& other_;
    std::vector<std::pair<const Value*, std::string>> modules_;
    std::unordered_set<const Value*> seen_modules_;
    std::unordered_set<const Value*> seen_parameters_;
    std::unordered_set<const Value*> seen_buffers_;
};

} // namespace

bool is_pickled_module(const Value& value) {
    return value.kind == Kind::Placeholder && state_dict_of(value, "_modules") &&
           state_dict_of(value, "_parameters") && state_dict_of(value, "_buffers");
}

std::string module_type_name(std::string_view qualified_name) {
    const std::size_t dot = qualified_name.rfind('.');
    if (dot == std::string_view::npos) return std::string(qualified_name);
    for (std::string_view package : {"torch.", "torchvision.", "torchaudio.", "torchtext."})
        if (qualified_name.starts_with(package)) return std::string(qualified_name.substr(dot + 1));
    return std::string(qualified_name);
}

void add_module_tree(ModelDocument& document, const Value& root, const std::string& path,
                     const std::shared_ptr<const StorageProvider>& storages,
                     const std::function<void(const Value&, const std::string&)>& other) {
    TreeBuilder builder(document, storages, other);
    builder.collect(root, path);
    builder.emit();
}

} // namespace nnscope::io::pickle
