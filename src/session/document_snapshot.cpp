#include "session/document_snapshot.h"

#include <map>
#include <unordered_map>
#include <unordered_set>

namespace nnscope::session {

namespace {

std::string parent_path(const std::string& path) {
    const auto dot = path.rfind('.');
    return dot == std::string::npos ? std::string() : path.substr(0, dot);
}

std::string last_component(const std::string& path) {
    const auto dot = path.rfind('.');
    return dot == std::string::npos ? path : path.substr(dot + 1);
}

class TreeBuilder {
public:
    explicit TreeBuilder(DocumentSnapshot& snapshot)
        : s_(snapshot) {
        s_.modules.push_back(ModuleRow{});
        index_[""] = 0;
    }

    // The module at path, created with its missing ancestors when needed.
    int ensure(const std::string& path) {
        if (const auto it = index_.find(path); it != index_.end()) return it->second;
        const int parent = ensure(parent_path(path));
        const int index = static_cast<int>(s_.modules.size());
        ModuleRow row;
        row.path = path;
        row.name = last_component(path);
        row.parent = parent;
        s_.modules.push_back(std::move(row));
        s_.modules[static_cast<std::size_t>(parent)].children.push_back(index);
        index_[path] = index;
        return index;
    }

    // The deepest listed module whose path prefixes the tensor's name ("a.b.weight" -> "a.b").
    int owner(const std::string& tensor_name) {
        std::string path = parent_path(tensor_name);
        while (!path.empty() && !index_.count(path))
            path = parent_path(path);
        return index_.at(path);
    }

private:
    DocumentSnapshot& s_;
    std::unordered_map<std::string, int> index_;
};

void add(Total& total, const TensorRow& row) {
    ++total.tensors;
    total.elements += row.numel;
    total.bytes += row.bytes;
}

// The sums above counted a tied parameter once per name: in every module that holds (own) or
// contains (total) k > 1 of a group's names, take back k - 1 of them.
void count_ties_once(DocumentSnapshot& s, const std::vector<std::vector<int>>& ties) {
    for (const std::vector<int>& group : ties) {
        const TensorRow& first = s.tensors[static_cast<std::size_t>(group.front())];
        if (first.role != "parameter") continue;
        std::map<int, std::int64_t> own, contained; // module -> names of the group
        for (const int t : group) {
            const TensorRow& row = s.tensors[static_cast<std::size_t>(t)];
            if (row.role != "parameter") continue;
            int m = s.module_index(row.module);
            ++own[m];
            for (; m >= 0; m = s.modules[static_cast<std::size_t>(m)].parent)
                ++contained[m];
        }
        for (const auto& [m, k] : own)
            s.modules[static_cast<std::size_t>(m)].own_parameters -= (k - 1) * first.numel;
        for (const auto& [m, k] : contained)
            s.modules[static_cast<std::size_t>(m)].total_parameters -= (k - 1) * first.numel;
    }
}

} // namespace

int DocumentSnapshot::module_index(const std::string& path) const {
    for (std::size_t i = 0; i < modules.size(); ++i)
        if (modules[i].path == path) return static_cast<int>(i);
    return -1;
}

DocumentSnapshot make_document_snapshot(const io::ModelDocument& document,
                                        const std::string& file) {
    DocumentSnapshot s;
    s.file = file;
    s.format = document.format;
    s.metadata = document.metadata;
    TreeBuilder tree(s);
    if (const auto it = document.metadata.find("nnscope.root_type"); it != document.metadata.end())
        s.modules[0].type = it->second;
    // A reader that lists no modules still names its tensors with dotted paths.
    const auto modules = document.modules.empty() ? io::modules_from_tensor_names(document.tensors)
                                                  : document.modules;
    for (const auto& [path, type] : modules) {
        const int index = tree.ensure(path);
        if (!type.empty()) s.modules[static_cast<std::size_t>(index)].type = type;
    }
    for (auto& row : s.modules)
        if (const auto it = document.module_arguments.find(row.path);
            it != document.module_arguments.end())
            row.arguments = it->second;

    // Readers list a tensor shared by two modules once; a repeated name is the same tensor.
    std::unordered_set<std::string> seen;
    std::map<std::string, int> first_of_view; // view identity -> index of its first tensor row
    std::vector<std::vector<int>> ties;       // per tied group: its rows, the first one first
    std::map<int, std::size_t> tie_of;        // first row -> index into ties
    for (const io::TensorEntry& entry : document.tensors) {
        if (!seen.insert(entry.name).second) continue;
        TensorRow row;
        row.name = entry.name;
        row.shape = entry.shape;
        row.dtype = std::string(dtype_name(entry.dtype));
        row.numel = shape_numel(entry.shape);
        row.bytes = row.numel * static_cast<std::int64_t>(element_size(entry.dtype));
        row.role = entry.role;
        row.role_inferred = entry.role_inferred;
        row.requires_grad = entry.requires_grad;
        row.persistent = entry.persistent;
        const int module = tree.owner(entry.name);
        row.module = s.modules[static_cast<std::size_t>(module)].path;
        const int index = static_cast<int>(s.tensors.size());
        ModuleRow& m = s.modules[static_cast<std::size_t>(module)];
        m.tensors.push_back(index);
        if (row.role == "parameter") m.own_parameters += row.numel;
        bool tied = false;
        if (const std::string view = io::view_identity(entry); !view.empty()) {
            const auto [it, first] = first_of_view.emplace(view, index);
            if (!first) {
                tied = true;
                row.shares_with = s.tensors[static_cast<std::size_t>(it->second)].name;
                auto [group, fresh] = tie_of.emplace(it->second, ties.size());
                if (fresh) ties.push_back({it->second});
                ties[group->second].push_back(index);
            }
        }
        if (tied) {
            ++s.shared_names;
        } else {
            add(s.by_role[row.role], row);
            add(s.by_dtype[row.dtype], row);
            add(s.total, row);
        }
        s.tensors.push_back(std::move(row));
    }
    // Children always come after their parent, so one backward sweep sums the subtrees.
    for (auto& m : s.modules)
        m.total_parameters = m.own_parameters;
    for (std::size_t i = s.modules.size(); i-- > 1;)
        s.modules[static_cast<std::size_t>(s.modules[i].parent)].total_parameters +=
            s.modules[i].total_parameters;
    count_ties_once(s, ties);
    return s;
}

} // namespace nnscope::session
