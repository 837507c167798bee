#include "io/onnx/onnx_graph_module.h"

#include "io/onnx/onnx_graph_plan.h"

#include <stdexcept>
#include <unordered_map>

namespace nnscope::io {

namespace {

// One node: its kernel over the node's inputs, where initializers and absent inputs are fixed
// slots and the rest arrive through call() in order.
class OnnxNodeModule final : public nn::Module {
public:
    OnnxNodeModule(const detail::NodePlan& plan, std::vector<Tensor> fixed)
        : nn::Module(plan.op_type)
        , plan_(plan)
        , fixed_(std::move(fixed)) {}

    std::size_t min_inputs() const override { return plan_.dynamic.size(); }
    std::size_t max_inputs() const override { return plan_.dynamic.size(); }
    std::string extra_repr() const override { return "name=" + plan_.name; }
    Tensor forward(const Tensor& input) override { return forward_inputs({input}); }
    const std::string& scope() const { return plan_.scope; }
    const detail::NodePlan& plan() const { return plan_; }
    const onnx_ops::Values& outputs() const { return outputs_; }

protected:
    Tensor forward_inputs(const std::vector<Tensor>& inputs) override {
        onnx_ops::Values all = fixed_;
        for (std::size_t k = 0; k < inputs.size(); ++k)
            all[plan_.dynamic[k]] = inputs[k];
        try {
            outputs_ = plan_.kernel(all);
        } catch (const std::exception& e) {
            throw std::runtime_error("ONNX node " + plan_.name + " (" + plan_.op_type +
                                     "): " + e.what());
        }
        if (outputs_.empty()) throw std::runtime_error("ONNX node " + plan_.name + " gave nothing");
        return outputs_.front();
    }

private:
    detail::NodePlan plan_;
    std::vector<Tensor> fixed_;
    onnx_ops::Values outputs_;
};

class OnnxGraphModule final : public nn::Module {
public:
    explicit OnnxGraphModule(detail::GraphPlan plan)
        : nn::Module("OnnxGraph")
        , plan_(std::move(plan)) {}

    void add_node(const std::string& name, std::shared_ptr<OnnxNodeModule> node) {
        register_module(name, node);
        nodes_.push_back(std::move(node));
    }
    std::size_t min_inputs() const override { return plan_.inputs.size(); }
    std::size_t max_inputs() const override { return plan_.inputs.size(); }
    Tensor forward(const Tensor& input) override { return forward_inputs({input}); }
    const std::vector<Tensor>& outputs() const { return outputs_; }
    std::vector<std::string> input_names() const {
        std::vector<std::string> names;
        for (const auto& in : plan_.inputs)
            names.push_back(in.name);
        return names;
    }

protected:
    Tensor forward_inputs(const std::vector<Tensor>& inputs) override {
        std::unordered_map<std::string, Tensor> values;
        for (std::size_t i = 0; i < plan_.inputs.size(); ++i) {
            detail::check_graph_input(plan_.inputs[i], inputs[i]);
            Tensor x = inputs[i];
            if (plan_.float64 && x.is_floating_point()) x = x.to(DType::Float64);
            values[plan_.inputs[i].name] = x;
        }
        for (const auto& node : nodes_) {
            const detail::NodePlan& p = node->plan();
            std::vector<Tensor> dynamic;
            for (std::size_t k : p.dynamic)
                dynamic.push_back(values.at(p.input_names[k]));
            node->call(std::move(dynamic));
            const onnx_ops::Values& out = node->outputs();
            for (std::size_t k = 0; k < p.output_names.size(); ++k) {
                if (p.output_names[k].empty()) continue;
                if (k >= out.size() || !out[k].defined())
                    throw std::runtime_error("ONNX node " + p.name + " (" + p.op_type +
                                             ") did not give its output " + p.output_names[k]);
                values[p.output_names[k]] = out[k];
            }
        }
        outputs_.clear();
        for (const auto& name : plan_.outputs)
            outputs_.push_back(values.at(name));
        return outputs_.front();
    }

private:
    detail::GraphPlan plan_;
    std::vector<std::shared_ptr<OnnxNodeModule>> nodes_;
    std::vector<Tensor> outputs_;
};

// A module or parameter name: dots are path separators in module trees.
std::string member_name(const std::string& raw, const std::string& fallback) {
    std::string name = raw.empty() ? fallback : raw;
    for (char& c : name)
        if (c == '.') c = '_';
    return name;
}

} // namespace

std::shared_ptr<nn::Module> load_onnx_module(const std::filesystem::path& path,
                                             const OnnxRunOptions& options) {
    detail::GraphPlan plan = detail::plan_onnx_graph(path, options.float64);
    std::vector<detail::NodePlan> nodes = std::move(plan.nodes);
    std::unordered_map<std::string, Tensor> initializers = std::move(plan.initializers);
    auto root = std::make_shared<OnnxGraphModule>(std::move(plan));
    std::unordered_map<std::string, std::size_t> taken;
    std::unordered_map<std::string, bool> owned; // initializer already registered somewhere
    for (std::size_t n = 0; n < nodes.size(); ++n) {
        const detail::NodePlan& p = nodes[n];
        std::vector<Tensor> fixed(p.input_names.size());
        std::vector<std::pair<std::string, Tensor>> members;
        for (std::size_t k = 0; k < p.input_names.size(); ++k) {
            const auto it = initializers.find(p.input_names[k]);
            if (it == initializers.end()) continue;
            fixed[k] = it->second;
            if (!owned[it->first]) {
                owned[it->first] = true;
                members.emplace_back(member_name(it->first, "initializer"), it->second);
            }
        }
        auto node = std::make_shared<OnnxNodeModule>(p, std::move(fixed));
        for (auto& [name, t] : members) {
            if (node->parameter_dict().contains(name) || node->buffer_dict().contains(name))
                continue;
            if (t.is_floating_point())
                node->register_parameter(name, t);
            else
                node->register_buffer(name, t);
        }
        std::string name = member_name(p.name, p.op_type + "_" + std::to_string(n));
        if (taken[name]++ > 0) name += "_" + std::to_string(n);
        root->add_node(name, std::move(node));
    }
    return root;
}

std::optional<std::string> onnx_node_scope(const nn::Module& module) {
    if (const auto* node = dynamic_cast<const OnnxNodeModule*>(&module)) return node->scope();
    return std::nullopt;
}

std::optional<std::vector<Tensor>> onnx_graph_outputs(const nn::Module& module) {
    if (const auto* graph = dynamic_cast<const OnnxGraphModule*>(&module)) return graph->outputs();
    return std::nullopt;
}

std::vector<std::string> onnx_graph_input_names(const nn::Module& module) {
    if (const auto* graph = dynamic_cast<const OnnxGraphModule*>(&module))
        return graph->input_names();
    return {};
}

} // namespace nnscope::io
