#include "io/pickle/document_builder.h"

#include "io/pickle/module_tree.h"
#include "io/pickle/numpy.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <stdexcept>

namespace nnscope::io::pickle {

Tensor load_tensor(const StorageProvider& provider, const TensorRef& ref) {
    if (!ref.storage)
        throw std::runtime_error("tensor of size " + shape_to_string(ref.shape) +
                                 " was saved without data (a meta tensor)");
    std::shared_ptr<Storage> storage;
    if (const auto& bytes = ref.storage->inline_bytes) {
        storage = Storage::allocate(bytes->size());
        if (!bytes->empty()) std::memcpy(storage->data(), bytes->data(), bytes->size());
    } else {
        storage = provider.storage(*ref.storage);
    }
    return Tensor::from_storage(std::move(storage), ref.dtype, ref.shape, ref.strides,
                                ref.storage->offset + ref.offset);
}

TensorEntry tensor_entry(const TensorRef& ref, std::string name,
                         std::shared_ptr<const StorageProvider> storages) {
    TensorEntry entry;
    entry.name = std::move(name);
    entry.shape = ref.shape;
    entry.dtype = ref.dtype;
    if (ref.storage) {
        entry.storage = ref.storage->key;
        entry.storage_offset = ref.storage->offset + ref.offset;
        entry.strides = ref.strides;
    }
    auto shared_ref = std::make_shared<const TensorRef>(ref);
    entry.load = [storages = std::move(storages), shared_ref] {
        return load_tensor(*storages, *shared_ref);
    };
    return entry;
}

std::string script_type_name(std::string_view qualified_name) {
    // The class name alone, as RecursiveScriptModule.original_name gives it: the module path of a
    // built-in class is noise next to the names the user wrote, and a user class's path is only
    // where TorchScript compiled it ("__torch__.Block").
    const std::size_t dot = qualified_name.rfind('.');
    return std::string(dot == std::string_view::npos ? qualified_name
                                                     : qualified_name.substr(dot + 1));
}

namespace {

// The quoted names inside the brackets that follow `key` on the class's own lines.
std::vector<std::string> quoted_list(std::string_view body, std::string_view key) {
    std::vector<std::string> names;
    const std::size_t at = body.find(key);
    if (at == std::string_view::npos) return names;
    const std::size_t open = body.find('[', at);
    const std::size_t close = body.find(']', at);
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
        return names;
    std::string_view list = body.substr(open + 1, close - open - 1);
    while (true) {
        const std::size_t q1 = list.find('"');
        if (q1 == std::string_view::npos) break;
        const std::size_t q2 = list.find('"', q1 + 1);
        if (q2 == std::string_view::npos) break;
        names.emplace_back(list.substr(q1 + 1, q2 - q1 - 1));
        list.remove_prefix(q2 + 1);
    }
    return names;
}

} // namespace

std::optional<std::string_view> script_class_body(std::string_view source,
                                                  std::string_view class_name) {
    const std::string header = "class " + std::string(class_name) + "(";
    std::size_t at = 0;
    while ((at = source.find(header, at)) != std::string_view::npos) {
        if (at == 0 || source[at - 1] == '\n') break;
        at += header.size();
    }
    if (at == std::string_view::npos) return std::nullopt;
    // The class body: up to the next line that starts in column 0.
    std::size_t end = source.find('\n', at);
    while (end != std::string_view::npos && end + 1 < source.size() && source[end + 1] != '\n' &&
           (source[end + 1] == ' ' || source[end + 1] == '\t'))
        end = source.find('\n', end + 1);
    return source.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
}

ScriptClassInfo parse_script_class(std::string_view source, std::string_view class_name) {
    ScriptClassInfo info;
    const auto body = script_class_body(source, class_name);
    if (!body) return info;
    info.found = true;
    info.parameters = quoted_list(*body, "__parameters__ = [");
    info.buffers = quoted_list(*body, "__buffers__ = [");
    return info;
}

namespace {

std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

std::string key_text(const Value& key) {
    if (auto text = as_text(key)) return *text;
    return to_display(key, 80);
}

// torch.optim state_dicts hold {"state": ..., "param_groups": ...}; checkpoints also put them
// under keys such as "optimizer" or "optimizer_state_dict" (sometimes without param_groups).
bool is_optimizer_state(const Value& dict) {
    return dict_find(dict, "state") && dict_find(dict, "param_groups");
}
bool names_optimizer(std::string key) {
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return key.find("optim") != std::string::npos;
}

class Walker {
public:
    Walker(ModelDocument& document, std::shared_ptr<const StorageProvider> storages,
           const DocumentOptions& options)
        : document_(document)
        , storages_(std::move(storages))
        , options_(options) {}

    // `role` is empty when the role must be inferred; `in_optimizer` marks optimizer state.
    void walk(const Value& v, const std::string& path, std::optional<TensorRole> role,
              bool in_optimizer) {
        if (++visits_ > options_.max_visits)
            throw std::runtime_error("the pickled object graph is too large to list (over " +
                                     std::to_string(options_.max_visits) + " paths)");
        switch (v.kind) {
        case Kind::Tensor:
            add_tensor(*v.tensor, path.empty() ? "tensor" : path, role, in_optimizer);
            return;
        case Kind::Dict: {
            const bool optimizer = in_optimizer || is_optimizer_state(v);
            for (std::size_t i = 0; i + 1 < v.items.size(); i += 2) {
                const std::string key = key_text(*v.items[i]);
                walk(*v.items[i + 1], join(path, key), std::nullopt,
                     optimizer || names_optimizer(key));
            }
            return;
        }
        case Kind::List:
        case Kind::Tuple:
        case Kind::Set:
            if (std::all_of(v.items.begin(), v.items.end(),
                            [](const ValuePtr& item) { return is_scalar(*item); })) {
                add_plain(path, to_display(v));
                return;
            }
            for (std::size_t i = 0; i < v.items.size(); ++i)
                walk(*v.items[i], join(path, std::to_string(i)), std::nullopt, in_optimizer);
            return;
        case Kind::Object:
            walk_object(v, path);
            return;
        case Kind::Placeholder:
            walk_placeholder(v, path, in_optimizer);
            return;
        case Kind::Storage:
            add_plain(path, to_display(v));
            return;
        default:
            add_plain(path, to_display(v));
            return;
        }
    }

private:
    // What an unknown class or call stood for, as data: a pickled nn.Module becomes a module
    // tree, a NumPy array a tensor, anything else a readable value with its fields walked.
    void walk_placeholder(const Value& v, const std::string& path, bool in_optimizer) {
        if (is_pickled_module(v)) {
            add_module_tree(document_, v, path, storages_,
                            [&](const Value& attribute, const std::string& attribute_path) {
                                walk(attribute, attribute_path, TensorRole::Unknown, false);
                            });
            return;
        }
        if (is_numpy_array(v)) {
            if (const auto ref = numpy_array_tensor(v)) {
                add_tensor(*ref, path.empty() ? "array" : path, TensorRole::Unknown, in_optimizer);
            } else {
                add_plain(path, numpy_array_summary(v));
            }
            return;
        }
        if (is_scalar(v)) {
            add_plain(path, to_display(v));
            return;
        }
        // Fields under the object's path ("args.lr"), the object itself named by its class.
        add_plain(path, "<" + v.text + ">");
        for (std::size_t i = 0; i < v.items.size(); ++i)
            if (!is_scalar(*v.items[i]))
                walk(*v.items[i], join(path, std::to_string(i)), std::nullopt, in_optimizer);
        if (v.state && v.state->kind == Kind::Dict) {
            walk(*v.state, path, std::nullopt, in_optimizer);
        } else if (v.state) {
            walk(*v.state, join(path, "state"), std::nullopt, in_optimizer);
        }
        if (v.contents) walk(*v.contents, path, std::nullopt, in_optimizer);
    }

    void walk_object(const Value& object, const std::string& path) {
        const std::string type = script_type_name(object.text);
        document_.modules.emplace_back(path, type);
        ScriptClassInfo info;
        if (options_.class_info) info = options_.class_info(object.text);
        if (!object.state) return;
        const Value& state = *object.state;
        if (state.kind != Kind::Dict) { // a __getstate__ result: list what it holds
            walk(state, path, std::nullopt, false);
            return;
        }
        for (std::size_t i = 0; i + 1 < state.items.size(); i += 2) {
            const std::string name = key_text(*state.items[i]);
            const Value& value = *state.items[i + 1];
            std::optional<TensorRole> role;
            if (info.found) role = TensorRole::Unknown;
            if (std::find(info.parameters.begin(), info.parameters.end(), name) !=
                info.parameters.end())
                role = TensorRole::Parameter;
            else if (std::find(info.buffers.begin(), info.buffers.end(), name) !=
                     info.buffers.end())
                role = TensorRole::Buffer;
            if (value.kind == Kind::Object) {
                walk_object(value, join(path, name));
            } else if (is_scalar(value) && (name == "training" || name.starts_with("_"))) {
                continue; // every module has these; they say nothing about this one
            } else {
                walk(value, join(path, name), role, false);
            }
        }
    }

    void add_tensor(const TensorRef& ref, const std::string& path, std::optional<TensorRole> role,
                    bool in_optimizer) {
        TensorEntry entry = tensor_entry(
            ref, options_.prefix.empty() ? path : join(options_.prefix, path), storages_);
        if (role) {
            entry.role = *role;
        } else if (ref.is_parameter) {
            entry.role = TensorRole::Parameter;
        } else if (in_optimizer || !options_.prefix.empty()) {
            entry.role = TensorRole::Unknown;
        } else {
            entry.role = infer_state_dict_role(path, ref.dtype);
            entry.role_inferred = true;
        }
        set_flags(entry, ref);
        document_.tensors.push_back(std::move(entry));
    }

    // What the file says about requires_grad and persistence. TorchScript pickles every tensor
    // with its requires_grad and saves every buffer (its state_dict has them all: no
    // non-persistent list exists in the format). A torch.save'd state_dict holds detached tensors
    // (requires_grad False says nothing about the parameter), so only a Parameter's own flag or a
    // True counts there; a buffer in a state_dict was persistent, but its role is only inferred.
    void set_flags(TensorEntry& entry, const TensorRef& ref) const {
        if (options_.torchscript) {
            if (entry.role == TensorRole::Parameter) entry.requires_grad = ref.requires_grad;
            if (entry.role == TensorRole::Buffer) entry.persistent = true;
            return;
        }
        if (entry.role == TensorRole::Parameter && (ref.is_parameter || ref.requires_grad))
            entry.requires_grad = ref.requires_grad;
    }

    void add_plain(const std::string& path, std::string text) {
        if (!options_.prefix.empty()) return; // TorchScript constants: only tensors matter
        const std::string key = join(options_.prefix, path.empty() ? "value" : path);
        if (document_.metadata.size() >= options_.max_metadata) {
            document_.metadata["nnscope.metadata_truncated"] = "true";
            return;
        }
        document_.metadata[key] = std::move(text);
    }

    ModelDocument& document_;
    std::shared_ptr<const StorageProvider> storages_;
    const DocumentOptions& options_;
    std::size_t visits_ = 0;
};

} // namespace

void add_to_document(ModelDocument& document, const Value& root,
                     std::shared_ptr<const StorageProvider> storages,
                     const DocumentOptions& options) {
    Walker(document, std::move(storages), options).walk(root, "", std::nullopt, false);
}

} // namespace nnscope::io::pickle
