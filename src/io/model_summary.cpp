#include "io/model_summary.h"

#include "io/model_document.h"

#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace nnscope::io {

namespace {

std::string_view parent_path(std::string_view path) {
    const auto dot = path.rfind('.');
    return dot == std::string_view::npos ? std::string_view() : path.substr(0, dot);
}

// The module tree as a trie of path components: finding or creating a module, or the owner of a
// tensor, walks its name once, so a name nested 128 deep costs its length, not 128 hashes of
// ever longer prefixes.
class TreeBuilder {
public:
    explicit TreeBuilder(std::vector<ModuleRow>& modules)
        : modules_(modules) {
        modules_.push_back(ModuleRow{});
    }

    // The module at path, created with its missing ancestors when needed.
    int ensure(std::string_view path) {
        int node = 0;
        if (path.empty()) return node;
        for (std::size_t start = 0;;) {
            const std::size_t dot = path.find('.', start);
            const std::string_view part = path.substr(start, dot - start);
            auto [it, fresh] = children_.try_emplace(key(node, part), 0);
            if (fresh) it->second = add(node, part);
            node = it->second;
            if (dot == std::string_view::npos) return node;
            start = dot + 1;
        }
    }

    // The deepest module whose path prefixes the tensor's name ("a.b.weight" -> "a.b").
    int owner(std::string_view tensor_name) const {
        const std::string_view path = parent_path(tensor_name);
        int node = 0;
        if (path.empty()) return node;
        for (std::size_t start = 0;;) {
            const std::size_t dot = path.find('.', start);
            const auto it = children_.find(key(node, path.substr(start, dot - start)));
            if (it == children_.end()) return node;
            node = it->second;
            if (dot == std::string_view::npos) return node;
            start = dot + 1;
        }
    }

private:
    static std::string key(int parent, std::string_view part) {
        std::string k = std::to_string(parent);
        k += '/';
        k += part;
        return k;
    }

    int add(int parent, std::string_view part) {
        const int index = static_cast<int>(modules_.size());
        ModuleRow row;
        const std::string& parent_path = modules_[static_cast<std::size_t>(parent)].path;
        row.path = parent_path.empty() ? std::string(part) : parent_path + '.' + std::string(part);
        row.name = std::string(part);
        row.parent = parent;
        modules_.push_back(std::move(row));
        modules_[static_cast<std::size_t>(parent)].children.push_back(index);
        return index;
    }

    std::vector<ModuleRow>& modules_;
    std::unordered_map<std::string, int> children_; // "parent index/component" -> child index
};

void add(Total& total, const TensorRow& row) {
    ++total.tensors;
    total.elements += row.numel;
    total.bytes += row.bytes;
}

TensorRow row_of(const TensorEntry& entry) {
    TensorRow row;
    row.name = entry.name;
    row.shape = entry.shape;
    row.dtype =
        entry.stored_dtype.empty() ? std::string(dtype_name(entry.dtype)) : entry.stored_dtype;
    row.numel = shape_numel(entry.shape);
    row.bytes = row.numel * static_cast<std::int64_t>(element_size(entry.dtype));
    row.role = entry.role;
    row.role_inferred = entry.role_inferred;
    row.requires_grad = entry.requires_grad;
    row.persistent = entry.persistent;
    row.used_by = entry.used_by;
    return row;
}

// Adds the parameters to the modules holding them: every tensor to its owner (own) and to the
// owner and its ancestors (total), a tied tensor once per module. A tie group is keyed by its first
// row; `counted` holds the (module, group) pairs already added, filled only for groups that turn
// out to be tied, so untied tensors cost no set entries.
class ParameterCounter {
public:
    explicit ParameterCounter(ModelSummary& s)
        : s_(s) {}

    void add(int tensor, int owner, int group) {
        owners_.push_back(owner);
        if (group == tensor) {
            climb(owner, tensor, nullptr);
            return;
        }
        if (expanded_.insert(group).second && is_parameter(group))
            for (int m = owners_[static_cast<std::size_t>(group)]; m >= 0; m = parent(m))
                counted_.emplace(m, group);
        climb(owner, tensor, &group);
    }

    void skip(int owner) { owners_.push_back(owner); } // a tensor that is not a parameter

private:
    bool is_parameter(int t) const {
        return s_.tensors[static_cast<std::size_t>(t)].role == TensorRole::Parameter;
    }
    int parent(int m) const { return s_.modules[static_cast<std::size_t>(m)].parent; }

    void climb(int owner, int tensor, const int* group) {
        const std::int64_t n = s_.tensors[static_cast<std::size_t>(tensor)].numel;
        for (int m = owner; m >= 0; m = parent(m)) {
            if (group && !counted_.emplace(m, *group).second) break; // counted there already
            ModuleRow& row = s_.modules[static_cast<std::size_t>(m)];
            if (m == owner) row.own_parameters += n;
            row.total_parameters += n;
            row.has_parameters = true;
        }
    }

    ModelSummary& s_;
    std::vector<int> owners_; // per tensor row
    std::unordered_set<int> expanded_;
    std::set<std::pair<int, int>> counted_;
};

} // namespace

int ModelSummary::module_index(const std::string& path) const {
    for (std::size_t i = 0; i < modules.size(); ++i)
        if (modules[i].path == path) return static_cast<int>(i);
    return -1;
}

Total ModelSummary::role_total(TensorRole role) const {
    const auto it = by_role.find(role);
    return it == by_role.end() ? Total{} : it->second;
}

ModelSummary summarize(const ModelDocument& document) {
    ModelSummary s;
    s.format = document.format;
    s.metadata = document.metadata;
    TreeBuilder tree(s.modules);
    if (const auto it = document.metadata.find("nnscope.root_type"); it != document.metadata.end())
        s.modules[0].type = it->second;
    for (const auto& [path, type] : document.modules) {
        const int index = tree.ensure(path);
        s.listed_modules.push_back(index);
        if (!type.empty()) s.modules[static_cast<std::size_t>(index)].type = type;
        if (const auto reason = document.inferred_types.find(path);
            reason != document.inferred_types.end()) {
            s.modules[static_cast<std::size_t>(index)].type_inferred = true;
            s.modules[static_cast<std::size_t>(index)].type_reason = reason->second;
        }
    }
    // A reader that lists no modules still names its tensors with dotted paths: the modules
    // modules_from_tensor_names would list, in its order, without building every prefix's string.
    if (document.modules.empty())
        for (const TensorEntry& entry : document.tensors) {
            check_module_depth(entry.name, "tensor");
            tree.ensure(parent_path(entry.name));
        }
    for (auto& row : s.modules)
        if (const auto it = document.module_arguments.find(row.path);
            it != document.module_arguments.end())
            row.arguments = it->second;

    // Readers list a tensor shared by two modules once; a repeated name is the same tensor.
    std::unordered_set<std::string_view> seen;
    std::unordered_map<std::string, int> first_of_view; // view identity -> its first tensor row
    ParameterCounter parameters(s);
    for (const TensorEntry& entry : document.tensors) {
        if (!seen.insert(entry.name).second) continue;
        TensorRow row = row_of(entry);
        const int module = entry.module ? tree.ensure(*entry.module) : tree.owner(entry.name);
        const int index = static_cast<int>(s.tensors.size());
        row.module = s.modules[static_cast<std::size_t>(module)].path;
        s.modules[static_cast<std::size_t>(module)].tensors.push_back(index);
        int group = index;
        if (const std::string view = view_identity(entry); !view.empty()) {
            group = first_of_view.emplace(view, index).first->second;
            if (group != index) row.shares_with = s.tensors[static_cast<std::size_t>(group)].name;
        }
        if (group != index) {
            ++s.shared_names;
        } else {
            add(s.by_role[row.role], row);
            add(s.by_dtype[row.dtype], row);
            add(s.total, row);
            if (row.role == TensorRole::Parameter && row.requires_grad.value_or(false))
                s.trainable_parameters += row.numel;
        }
        const bool parameter = row.role == TensorRole::Parameter;
        s.tensors.push_back(std::move(row));
        if (parameter)
            parameters.add(index, module, group);
        else
            parameters.skip(module);
    }
    return s;
}

} // namespace nnscope::io
