#include "workflows/op_call.h"

#include "engine/nn/loss.h"
#include "engine/ops/index.h"
#include "engine/ops/loss.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <stdexcept>

namespace nnscope::workflows {

namespace {

using Kind = OpArgSpec::Kind;

// The values of one call: tensors (undefined when an optional one is absent) and arguments.
class Call {
public:
    Call(const OpSpec& op, const std::map<std::string, Tensor>& tensors,
         const std::map<std::string, std::string>& args)
        : op_(op)
        , tensors_(tensors)
        , args_(args) {}

    Tensor tensor(const std::string& name) const {
        auto it = tensors_.find(name);
        return it == tensors_.end() ? Tensor() : it->second;
    }
    std::int64_t integer(const std::string& name) const {
        const std::string text = arg(name);
        std::int64_t value = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error != std::errc() || end != text.data() + text.size())
            throw std::invalid_argument(op_.name + "(): argument '" + name +
                                        "' expects an integer, got '" + text + "'");
        return value;
    }
    std::optional<std::int64_t> optional_integer(const std::string& name) const {
        if (arg(name) == "None") return std::nullopt;
        return integer(name);
    }
    double real(const std::string& name) const {
        const std::string text = arg(name);
        std::size_t used = 0;
        double value = 0;
        try {
            value = std::stod(text, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != text.size())
            throw std::invalid_argument(op_.name + "(): argument '" + name +
                                        "' expects a number, got '" + text + "'");
        return value;
    }
    std::string arg(const std::string& name) const {
        auto it = args_.find(name);
        if (it != args_.end()) return it->second;
        for (const OpArgSpec& spec : op_.args)
            if (spec.name == name) return spec.fallback;
        throw std::logic_error("op_call: undeclared argument " + name);
    }

private:
    const OpSpec& op_;
    const std::map<std::string, Tensor>& tensors_;
    const std::map<std::string, std::string>& args_;
};

Tensor run(const OpSpec& op, const Call& c) {
    const std::string& n = op.name;
    if (n == "gather") return gather(c.tensor("input"), c.integer("dim"), c.tensor("index"));
    if (n == "index_select")
        return index_select(c.tensor("input"), c.integer("dim"), c.tensor("index"));
    if (n == "scatter_add")
        return scatter_add(c.tensor("input"), c.integer("dim"), c.tensor("index"), c.tensor("src"));
    if (n == "embedding")
        return embedding(c.tensor("weight"), c.tensor("input"), c.optional_integer("padding_idx"));
    if (n == "cross_entropy")
        return cross_entropy(c.tensor("input"), c.tensor("target"), c.tensor("weight"),
                             c.integer("ignore_index"), c.arg("reduction"),
                             c.real("label_smoothing"));
    if (n == "nll_loss")
        return nll_loss(c.tensor("input"), c.tensor("target"), c.tensor("weight"),
                        c.integer("ignore_index"), c.arg("reduction"));
    if (n == "mse_loss") return mse_loss(c.tensor("input"), c.tensor("target"), c.arg("reduction"));
    throw std::logic_error("op_call: no implementation for " + n);
}

std::string list_names(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names)
        out += (out.empty() ? "" : ", ") + name;
    return out;
}

void check_tensor_names(const std::string& callee, const std::vector<OpTensorSpec>& specs,
                        const std::map<std::string, Tensor>& tensors) {
    for (const auto& [name, tensor] : tensors) {
        bool known = false;
        for (const OpTensorSpec& spec : specs)
            known = known || spec.name == name;
        if (!known)
            throw std::invalid_argument(callee + " takes no tensor '" + name +
                                        "' (its tensors: " + describe_tensors(specs) + ")");
    }
    for (const OpTensorSpec& spec : specs)
        if (spec.required && !tensors.contains(spec.name))
            throw std::invalid_argument(callee + " needs the tensor '" + spec.name +
                                        "' (its tensors: " + describe_tensors(specs) + ")");
}

void check_arg_names(const OpSpec& op, const std::map<std::string, std::string>& args) {
    std::vector<std::string> arg_names;
    for (const OpArgSpec& spec : op.args)
        arg_names.push_back(spec.name);
    for (const auto& [name, value] : args)
        if (std::find(arg_names.begin(), arg_names.end(), name) == arg_names.end())
            throw std::invalid_argument(
                op.name + "() got an unexpected keyword argument '" + name + "' (" +
                (arg_names.empty() ? "it takes none" : "it takes " + list_names(arg_names)) + ")");
    for (const OpArgSpec& spec : op.args)
        if (spec.fallback.empty() && !args.contains(spec.name))
            throw std::invalid_argument(op.name + "() missing required argument '" + spec.name +
                                        "'");
}

} // namespace

const std::vector<OpSpec>& op_specs() {
    static const std::vector<OpSpec> specs = [] {
        const OpArgSpec dim{"dim", Kind::Int, ""};
        const OpArgSpec reduction{"reduction", Kind::String, "mean"};
        const OpArgSpec ignore_index{"ignore_index", Kind::Int, "-100"};
        const OpTensorSpec input{"input"}, index{"index", true, false},
            target{"target", true, false}, weight{"weight", false, false};
        return std::vector<OpSpec>{
            {"gather", {input, index}, {dim}},
            {"index_select", {input, index}, {dim}},
            {"scatter_add", {input, index, {"src"}}, {dim}},
            {"embedding",
             {{"input", true, false}, {"weight"}},
             {{"padding_idx", Kind::OptionalInt, "None"}}},
            {"cross_entropy",
             {input, target, weight},
             {ignore_index, reduction, {"label_smoothing", Kind::Float, "0.0"}}},
            {"nll_loss", {input, target, weight}, {ignore_index, reduction}},
            {"mse_loss", {input, {"target"}}, {reduction}},
        };
    }();
    return specs;
}

const OpSpec& find_op(std::string_view name) {
    std::vector<std::string> names;
    for (const OpSpec& op : op_specs()) {
        if (op.name == name) return op;
        names.push_back(op.name);
    }
    throw std::invalid_argument("unknown op '" + std::string(name) +
                                "' (known: " + list_names(names) + ")");
}

std::string describe_tensors(const std::vector<OpTensorSpec>& tensors) {
    std::vector<std::string> names;
    for (const OpTensorSpec& spec : tensors)
        names.push_back(spec.required ? spec.name : "[" + spec.name + "]");
    return list_names(names);
}

void backward_from(const Tensor& output, const Tensor& grad_output) {
    if (!output.requires_grad())
        throw std::invalid_argument("element 0 of tensors does not require grad and does not "
                                    "have a grad_fn");
    if (!grad_output.defined()) {
        output.backward(Tensor::ones(output.shape(), output.dtype()));
        return;
    }
    if (grad_output.shape() != output.shape())
        throw std::invalid_argument("Mismatch in shape: grad_output[0] has a shape of torch.Size(" +
                                    shape_to_string(grad_output.shape()) +
                                    ") and output[0] has a shape of torch.Size(" +
                                    shape_to_string(output.shape()) + ").");
    output.backward(grad_output.to(output.dtype()));
}

OpOutcome call_named(const std::string& callee, const std::vector<OpTensorSpec>& specs,
                     const std::map<std::string, Tensor>& tensors, bool backward,
                     const Tensor& grad_output, const NamedFunction& fn) {
    check_tensor_names(callee, specs, tensors);
    std::map<std::string, Tensor> leaves;
    for (const auto& [name, tensor] : tensors) {
        Tensor leaf = tensor.detach();
        bool differentiable = false;
        for (const OpTensorSpec& spec : specs)
            differentiable = differentiable || (spec.name == name && spec.differentiable);
        if (backward && differentiable && leaf.is_floating_point())
            leaf = leaf.clone().requires_grad_(true);
        leaves.emplace(name, leaf);
    }
    OpOutcome outcome;
    outcome.output = fn(leaves);
    if (backward) {
        backward_from(outcome.output, grad_output);
        for (const auto& [name, leaf] : leaves) {
            if (!leaf.requires_grad()) continue;
            if (leaf.grad().defined())
                outcome.grads.emplace_back(name, leaf.grad());
            else
                outcome.no_grad.push_back(name);
        }
    }
    outcome.output = outcome.output.detach();
    return outcome;
}

OpOutcome call_op(const OpSpec& op, const std::map<std::string, Tensor>& tensors,
                  const std::map<std::string, std::string>& args, bool backward,
                  const Tensor& grad_output) {
    check_arg_names(op, args);
    return call_named(op.name + "()", op.tensors, tensors, backward, grad_output,
                      [&](const std::map<std::string, Tensor>& leaves) {
                          return run(op, Call(op, leaves, args));
                      });
}

std::vector<OpTensorSpec> module_tensor_names(const nn::Module& module) {
    std::vector<std::string> names{"input"};
    if (dynamic_cast<const nn::Loss*>(&module)) names = {"input", "target"};
    if (module.type_name() == "EmbeddingBag") names = {"input", "offsets", "per_sample_weights"};
    std::vector<OpTensorSpec> specs;
    for (std::size_t i = 0; i < names.size() && i < std::max<std::size_t>(module.max_inputs(), 1);
         ++i)
        specs.push_back({names[i], i < module.min_inputs(), true});
    return specs;
}

} // namespace nnscope::workflows
