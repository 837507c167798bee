#include "io/onnx/onnx_tree.h"

#include <cstddef>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace nnscope::io {

namespace {

bool all_digits(std::string_view s) {
    if (s.empty()) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// True when `part` is `unqualified` followed by numeric atoms only (".0", ".0.1").
bool numeric_extension(std::string_view part, std::string_view unqualified) {
    if (unqualified.empty() || part.size() <= unqualified.size() + 1 ||
        part.substr(0, unqualified.size()) != unqualified || part[unqualified.size()] != '.')
        return false;
    for (std::string_view rest = part.substr(unqualified.size() + 1);;) {
        const std::size_t dot = rest.find('.');
        if (!all_digits(rest.substr(0, dot))) return false;
        if (dot == std::string_view::npos) return true;
        rest.remove_prefix(dot + 1);
    }
}

std::string_view parent_of(std::string_view path) {
    const auto dot = path.rfind('.');
    return dot == std::string_view::npos ? std::string_view() : path.substr(0, dot);
}

// Every module the nodes' scopes and the tensors' dotted names name, with their ancestors.
class KnownPaths {
public:
    void add(std::string_view path) {
        for (; !path.empty(); path = parent_of(path))
            if (!paths_.emplace(path).second) return;
    }
    bool has(const std::string& path) const { return paths_.count(path) > 0; }

private:
    std::unordered_set<std::string> paths_;
};

// Sets each node's module: a torch scope that looks like a later call ("relu_1") is that call
// when the module it would repeat exists and no tensor name makes "relu_1" a module of its own.
void assign_node_modules(ModelDocument& document) {
    std::vector<NodeScope> scopes;
    scopes.reserve(document.nodes.size());
    KnownPaths known, named;
    for (const auto& [path, type] : modules_from_tensor_names(document.tensors))
        named.add(path);
    for (const GraphNode& node : document.nodes) {
        scopes.push_back(node_scope(node.name));
        check_module_depth(scopes.back().module + scopes.back().repeat, "node scope");
        if (scopes.back().repeat.empty()) known.add(scopes.back().module);
    }
    for (std::size_t i = 0; i < scopes.size(); ++i) {
        NodeScope& scope = scopes[i];
        const std::string literal = scope.module + scope.repeat;
        const bool repeat = !scope.repeat.empty() && !named.has(literal) &&
                            (known.has(scope.module) || named.has(scope.module));
        document.nodes[i].module = repeat ? std::move(scope.module) : literal;
    }
}

// Scopes of the nodes, with their dotted ancestors, then any further paths the dotted initializer
// names imply. A module with no submodule whose nodes are all one op ("Conv"; "Relu" called
// twice) has that op as its type and the first node's attributes as its arguments.
void add_modules(ModelDocument& document) {
    std::unordered_set<std::string> seen;
    std::unordered_map<std::string, const GraphNode*> first_node;
    std::unordered_set<std::string> mixed; // modules whose nodes are of several op types
    auto add_path = [&](const std::string& path) {
        for (std::size_t dot = path.find('.'); dot != std::string::npos;
             dot = path.find('.', dot + 1))
            if (seen.insert(path.substr(0, dot)).second)
                document.modules.emplace_back(path.substr(0, dot), "");
        if (seen.insert(path).second) document.modules.emplace_back(path, "");
    };
    // A module only the dotted name of a tensor names ("encoder.self_attn.out_proj", whose
    // weights its parent's nodes use) comes where the tensor is first used.
    std::unordered_set<std::string_view> initializers;
    for (const TensorEntry& tensor : document.tensors)
        initializers.insert(tensor.name);
    for (const auto& node : document.nodes) {
        for (const std::string& input : node.inputs)
            if (initializers.count(input) && !parent_of(input).empty())
                add_path(std::string(parent_of(input)));
        if (node.module.empty()) continue;
        add_path(node.module);
        const auto [it, fresh] = first_node.try_emplace(node.module, &node);
        if (!fresh && it->second->op_type != node.op_type) mixed.insert(node.module);
    }
    for (const auto& [path, type] : modules_from_tensor_names(document.tensors))
        add_path(path);
    std::unordered_set<std::string_view> parents;
    for (const auto& [path, type] : document.modules)
        parents.insert(parent_of(path));
    for (auto& [path, type] : document.modules) {
        const auto first = first_node.find(path);
        if (first == first_node.end() || mixed.count(path) || parents.count(path)) continue;
        const GraphNode& node = *first->second;
        type = node.op_type;
        std::string arguments;
        for (const auto& [name, value] : node.attributes)
            arguments += (arguments.empty() ? "" : ", ") + name + "=" + value;
        document.module_arguments[path] = arguments;
    }
}

// The initializer a value is, directly or through Identity nodes; nullopt for other values.
class InitializerValues {
public:
    explicit InitializerValues(const std::vector<TensorEntry>& tensors) {
        for (std::size_t i = 0; i < tensors.size(); ++i)
            index_.try_emplace(tensors[i].name, i);
    }
    std::optional<std::size_t> find(const std::string& value) const {
        const auto it = index_.find(value);
        return it == index_.end() ? std::nullopt : std::optional(it->second);
    }
    // True (and remembered) when the node only passes an initializer on.
    bool pass_through(const GraphNode& node) {
        if (node.op_type != "Identity" || !node.domain.empty() || node.inputs.size() != 1 ||
            node.outputs.size() != 1)
            return false;
        const auto source = find(node.inputs[0]);
        if (!source) return false;
        index_.try_emplace(node.outputs[0], *source);
        return true;
    }

private:
    std::unordered_map<std::string, std::size_t> index_;
};

// Each initializer's users, as the modules of the nodes using it (file order, once each).
void attach_initializers(ModelDocument& document) {
    InitializerValues values(document.tensors);
    std::vector<std::vector<std::string>> users(document.tensors.size());
    std::unordered_set<std::string> listed; // "<tensor index>/<module>"
    for (const GraphNode& node : document.nodes) {
        if (values.pass_through(node)) continue;
        for (const std::string& input : node.inputs) {
            const auto tensor = values.find(input);
            if (tensor && listed.insert(std::to_string(*tensor) + '/' + node.module).second)
                users[*tensor].push_back(node.module);
        }
    }
    for (std::size_t i = 0; i < users.size(); ++i) {
        if (users[i].empty()) continue;
        TensorEntry& entry = document.tensors[i];
        if (parent_of(entry.name).empty()) entry.module = users[i].front();
        if (users[i].size() > 1) entry.used_by = std::move(users[i]);
    }
}

// torch.onnx in eval mode folds a BatchNorm into the Conv before it: the Conv then has a weight
// and a bias the exporter computed, named "onnx::Conv_<n>" instead of the state_dict's names,
// and the BatchNorm's module is gone from the file.
void note_folded_batchnorms(ModelDocument& document) {
    InitializerValues values(document.tensors);
    int folded = 0;
    for (const GraphNode& node : document.nodes) {
        if (values.pass_through(node) || node.op_type != "Conv" || node.inputs.size() < 3) continue;
        const auto weight = values.find(node.inputs[1]), bias = values.find(node.inputs[2]);
        if (!weight || !bias) continue;
        const std::string& weight_name = document.tensors[*weight].name;
        const std::string& bias_name = document.tensors[*bias].name;
        if (weight_name.rfind("onnx::", 0) != 0 || bias_name.rfind("onnx::", 0) != 0) continue;
        ++folded;
        // First, so that a reader sees it before the Conv's own attributes.
        std::string& arguments = document.module_arguments[node.module];
        arguments = "BatchNorm folded in (" + weight_name + ", " + bias_name + ")" +
                    (arguments.empty() ? "" : ", ") + arguments;
    }
    if (folded > 0)
        document.metadata["onnx.folded_batchnorm"] =
            std::to_string(folded) +
            " Conv nodes have weights the exporter computed (onnx::Conv_*): torch.onnx.export in "
            "eval mode folds each BatchNorm into the Conv before it, so those BatchNorm modules "
            "and their parameters are not in the file, and each such Conv has a bias of "
            "out_channels elements";
}

} // namespace

NodeScope node_scope(std::string_view name) {
    NodeScope scope;
    const bool torch_style = !name.empty() && name.front() == '/';
    std::vector<std::string_view> parts;
    for (std::size_t begin = 0; begin <= name.size();) {
        const std::size_t slash = std::min(name.find('/', begin), name.size());
        if (slash > begin) parts.push_back(name.substr(begin, slash - begin));
        begin = slash + 1;
    }
    if (parts.size() < 2 || name.find('/') == std::string_view::npos) return scope;
    parts.pop_back(); // the op
    if (torch_style) {
        std::string_view& last = parts.back();
        const std::size_t underscore = last.rfind('_');
        if (underscore != std::string_view::npos && underscore > 0 &&
            all_digits(last.substr(underscore + 1))) {
            scope.repeat = std::string(last.substr(underscore));
            last = last.substr(0, underscore);
        }
    }
    std::string_view unqualified;
    for (const std::string_view part : parts) {
        const bool full = !scope.module.empty() && part.size() > scope.module.size() &&
                          part.substr(0, scope.module.size()) == scope.module &&
                          part[scope.module.size()] == '.';
        if (full)
            scope.module = std::string(part); // a scope that is the whole dotted path
        else if (numeric_extension(part, unqualified))
            scope.module += part.substr(unqualified.size()); // "layer1" then "layer1.0"
        else
            scope.module += (scope.module.empty() ? "" : ".") + std::string(part);
        unqualified = part;
    }
    return scope;
}

void build_onnx_module_tree(ModelDocument& document) {
    assign_node_modules(document);
    attach_initializers(document);
    add_modules(document);
    note_folded_batchnorms(document);
}

} // namespace nnscope::io
