#include "io/pickle/module_record_pickle.h"

#include "io/pickle/module_tree.h"

#include <map>
#include <stdexcept>

namespace nnscope::io::pickle {

namespace {

std::string join(const std::string& path, const std::string& name) {
    return path.empty() ? name : path + "." + name;
}

std::string where(const std::string& path) {
    return "module '" + (path.empty() ? std::string("(root)") : path) + "'";
}

class RecordReader {
public:
    explicit RecordReader(std::shared_ptr<const StorageProvider> storages)
        : storages_(std::move(storages)) {}

    std::shared_ptr<const ModuleRecord> read(const Value& module, const std::string& path) {
        if (auto it = seen_.find(&module); it != seen_.end()) return it->second;
        auto record = std::make_shared<ModuleRecord>();
        record->qualified_name = module.text;
        record->path = path;
        const Value& dict = *module.state;
        for (std::size_t i = 0; i + 1 < dict.items.size(); i += 2) {
            const auto name = as_text(*dict.items[i]);
            const Value& value = *dict.items[i + 1];
            if (!name) continue;
            if (*name == "training" && value.kind == Kind::Bool) {
                record->training = value.boolean;
            } else if (*name == "_modules") {
                read_children(*record, value);
            } else if (*name == "_parameters") {
                record->parameters = read_tensors(*record, value, "parameter");
            } else if (*name == "_buffers") {
                record->buffers = read_tensors(*record, value, "buffer");
            } else if (*name == "_non_persistent_buffers_set") {
                for (const auto& item : value.items)
                    if (auto text = as_text(*item)) record->non_persistent_buffers.push_back(*text);
            } else if (!name->starts_with('_')) {
                if (auto plain = plain_attribute(value))
                    record->attributes.emplace_back(*name, std::move(*plain));
            }
        }
        seen_.emplace(&module, record);
        return record;
    }

private:
    void read_children(ModuleRecord& record, const Value& modules) {
        for (std::size_t i = 0; i + 1 < modules.items.size(); i += 2) {
            const auto name = as_text(*modules.items[i]);
            const Value& child = *modules.items[i + 1];
            if (!name)
                throw std::invalid_argument(where(record.path) + ": a submodule name is " +
                                            to_display(*modules.items[i], 60) + ", not a string");
            if (child.kind == Kind::None) {
                record.children.emplace_back(*name, nullptr);
            } else if (is_pickled_module(child)) {
                record.children.emplace_back(*name, read(child, join(record.path, *name)));
            } else {
                throw std::invalid_argument(where(record.path) + ": submodule '" + *name + "' is " +
                                            to_display(child, 60) +
                                            ", not a pickled torch.nn.Module");
            }
        }
    }

    std::vector<std::pair<std::string, Tensor>>
    read_tensors(const ModuleRecord& record, const Value& tensors, const char* kind) {
        std::vector<std::pair<std::string, Tensor>> out;
        for (std::size_t i = 0; i + 1 < tensors.items.size(); i += 2) {
            const auto name = as_text(*tensors.items[i]);
            const Value& value = *tensors.items[i + 1];
            if (!name) continue;
            if (value.kind == Kind::None) {
                out.emplace_back(*name, Tensor());
            } else if (value.kind == Kind::Tensor && value.tensor->storage) {
                out.emplace_back(*name, load_tensor(*storages_, *value.tensor));
            } else {
                throw std::invalid_argument(where(record.path) + ": " + kind + " '" + *name +
                                            "' is " + to_display(value, 60) +
                                            ", not a tensor with data");
            }
        }
        return out;
    }

    std::shared_ptr<const StorageProvider> storages_;
    std::map<const Value*, std::shared_ptr<const ModuleRecord>> seen_;
};

} // namespace

std::optional<nn::Value> plain_attribute(const Value& value) {
    switch (value.kind) {
    case Kind::None:
        return nn::Value();
    case Kind::Bool:
        return nn::Value(value.boolean);
    case Kind::Int:
        return nn::Value(value.integer);
    case Kind::Float:
        return nn::Value(value.real);
    case Kind::String:
        return nn::Value(value.text);
    case Kind::Tuple:
    case Kind::List: {
        nn::Value::List items;
        for (const auto& item : value.items) {
            auto plain = plain_attribute(*item);
            if (!plain) return std::nullopt;
            items.push_back(std::move(*plain));
        }
        return value.kind == Kind::Tuple ? nn::Value::tuple(std::move(items))
                                         : nn::Value::list(std::move(items));
    }
    default:
        return std::nullopt;
    }
}

std::shared_ptr<const ModuleRecord>
pickled_module_record(const Value& module, std::shared_ptr<const StorageProvider> storages,
                      const std::string& path) {
    return RecordReader(std::move(storages)).read(module, path);
}

} // namespace nnscope::io::pickle
