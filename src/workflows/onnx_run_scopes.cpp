#include "workflows/onnx_run_scopes.h"

#include "io/onnx/onnx_graph_module.h"

#include <unordered_map>
#include <unordered_set>

namespace nnscope::workflows {

void add_onnx_scope_records(const nn::Module& model, RunResult& result) {
    // run_model records the modules in named_modules() order: the graph's nodes in the order
    // they run, so a later node of a scope overwrites an earlier one.
    const auto modules = model.named_modules();
    if (modules.size() != result.modules.size()) return;
    std::unordered_set<std::string> taken;
    for (const auto& r : result.modules)
        taken.insert(r.path);
    std::unordered_map<std::string, std::size_t> scope_index; // into `scopes`
    std::vector<ModuleRecord> scopes;
    for (std::size_t i = 0; i < modules.size(); ++i) {
        const auto scope = io::onnx_node_scope(*modules[i].second);
        const ModuleRecord& node = result.modules[i];
        if (!scope || scope->empty() || !node.ran) continue;
        // "layer1.0.conv1" lies in "layer1", "layer1.0" and itself.
        for (std::size_t end = scope->find('.');; end = scope->find('.', end + 1)) {
            const std::string path = scope->substr(0, end);
            if (!taken.count(path)) {
                auto [it, added] = scope_index.try_emplace(path, scopes.size());
                if (added) scopes.push_back({path, "ONNX scope", {}, {}, {}, false, false});
                ModuleRecord& r = scopes[it->second];
                r.shape = node.shape;
                r.output = node.output;
                r.grad = node.grad;
                r.ran = true;
                r.dropped = node.dropped;
                r.type = "ONNX scope (last node " + node.type + ")";
            }
            if (end == std::string::npos) break;
        }
    }
    for (auto& r : scopes)
        result.modules.push_back(std::move(r));
}

} // namespace nnscope::workflows
