#include "cli/run_named.h"

#include "cli/commands.h"
#include "workflows/op_call.h"
#include "workflows/runnable_model.h"

#include <cmath>
#include <map>
#include <stdexcept>

namespace nnscope::cli {

namespace {

constexpr std::string_view kExtension = ".safetensors";

// One --input: NAME=FILE.safetensors[:TENSOR], or a whole FILE.safetensors (name empty).
struct InputSpec {
    std::string name, path, tensor;
};

InputSpec parse_input(const std::string& text) {
    InputSpec spec;
    std::string rest = text;
    if (const auto eq = text.find('='); eq != std::string::npos) {
        spec.name = text.substr(0, eq);
        rest = text.substr(eq + 1);
        if (spec.name.empty())
            throw UsageError("--input " + text + ": the name before '=' is empty");
    }
    const auto ext = rest.rfind(kExtension);
    const auto end = ext == std::string::npos ? ext : ext + kExtension.size();
    if (ext == std::string::npos || (end < rest.size() && rest[end] != ':'))
        throw UsageError("--input " + text +
                         ": expected NAME=FILE.safetensors[:TENSOR] or FILE.safetensors");
    spec.path = rest.substr(0, end);
    spec.tensor = end < rest.size() ? rest.substr(end + 1) : spec.name;
    if (end < rest.size() && spec.tensor.empty())
        throw UsageError("--input " + text + ": the tensor name after ':' is empty");
    return spec;
}

// The tensors by name: explicit NAME=... first, then a whole file's tensors whose names the
// callee takes (a file may hold more, e.g. PyTorch's expected output).
std::map<std::string, Tensor> read_inputs(const std::vector<std::string>& inputs,
                                          const std::vector<workflows::OpTensorSpec>& specs) {
    std::map<std::string, Tensor> tensors;
    std::vector<std::string> whole_files;
    for (const std::string& text : inputs) {
        const InputSpec spec = parse_input(text);
        if (spec.name.empty()) {
            whole_files.push_back(spec.path);
            continue;
        }
        if (tensors.contains(spec.name))
            throw UsageError("--input " + spec.name + "=... is given twice");
        tensors.emplace(spec.name, read_input_tensor(io::SafetensorsFile(spec.path), spec.tensor));
    }
    for (const std::string& path : whole_files) {
        const io::SafetensorsFile file(path);
        auto take = [&](const std::string& name) {
            if (file.contains(name) && !tensors.contains(name))
                tensors.emplace(name, read_input_tensor(file, name));
        };
        for (const workflows::OpTensorSpec& spec : specs)
            take(spec.name);
        take("grad_output");
    }
    return tensors;
}

std::map<std::string, std::string> read_args(const std::vector<std::string>& texts) {
    std::map<std::string, std::string> args;
    for (const std::string& text : texts) {
        const auto eq = text.find('=');
        if (eq == std::string::npos || eq == 0)
            throw UsageError("--arg " + text + ": expected KEY=VALUE, e.g. --arg dim=1");
        if (!args.emplace(text.substr(0, eq), text.substr(eq + 1)).second)
            throw UsageError("--arg " + text.substr(0, eq) + " is given twice");
    }
    return args;
}

// The model's forward on the tensors in its parameter order; an optional one may be left out
// only when every later one is too.
Tensor forward_named(nn::Module& model, const std::vector<workflows::OpTensorSpec>& specs,
                     const std::map<std::string, Tensor>& tensors) {
    std::vector<Tensor> in;
    for (const workflows::OpTensorSpec& spec : specs) {
        auto it = tensors.find(spec.name);
        if (it == tensors.end()) break;
        in.push_back(it->second);
    }
    if (in.size() != tensors.size())
        throw std::invalid_argument("the model takes its tensors in the order " +
                                    workflows::describe_tensors(specs) +
                                    ": give the ones before the last one used");
    return model.call(std::move(in));
}

} // namespace

std::string non_finite(const Tensor& t) {
    if (!t.is_floating_point()) return {};
    const auto values = t.to_vector();
    for (std::size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
            return (std::isnan(values[i]) ? "NaN" : "an infinity") +
                   std::string(" at flat index ") + std::to_string(i);
    return {};
}

bool is_named_run(const std::string& file, const std::vector<std::string>& inputs) {
    if (file.starts_with("op:") || inputs.size() > 1) return true;
    return !inputs.empty() && inputs[0].find('=') != std::string::npos;
}

Tensor read_input_tensor(const io::SafetensorsFile& file, const std::string& name) {
    if (!file.contains(name)) {
        std::string names;
        for (const auto& n : file.names())
            names += (names.empty() ? "'" : ", '") + n + "'";
        throw std::invalid_argument(
            file.path().string() + ": no tensor '" + name + "' (" +
            (names.empty() ? "the file has no tensors" : "it has " + names) + ")");
    }
    Tensor t = file.tensor(name);
    if (auto bad = non_finite(t); !bad.empty())
        throw std::invalid_argument(file.path().string() + ": tensor '" + name + "' contains " +
                                    bad);
    return t;
}

int run_named(const NamedRun& run) {
    const std::map<std::string, std::string> args = read_args(run.args);
    std::shared_ptr<nn::Module> model;
    const workflows::OpSpec* op = nullptr;
    std::vector<workflows::OpTensorSpec> specs;
    if (run.file.starts_with("op:")) {
        op = &workflows::find_op(run.file.substr(3));
        specs = op->tensors;
    } else {
        if (!args.empty())
            throw UsageError("--arg is for an operation (op:NAME); a model has its arguments "
                             "in its file");
        model = workflows::open_runnable_model(run.file, run.architecture).module;
        model->train(run.train);
        specs = workflows::module_tensor_names(*model);
    }
    std::map<std::string, Tensor> tensors = read_inputs(run.inputs, specs);
    Tensor grad_output;
    if (auto it = tensors.find("grad_output"); it != tensors.end()) {
        if (!run.backward) throw UsageError("--input grad_output=... is read only with --backward");
        grad_output = it->second;
        tensors.erase(it);
    }
    const workflows::OpOutcome outcome =
        op ? workflows::call_op(*op, tensors, args, run.backward, grad_output)
           : workflows::call_named("the model (" + model->type_name() + ")", specs, tensors,
                                   run.backward, grad_output, [&](const auto& leaves) {
                                       return forward_named(*model, specs, leaves);
                                   });
    io::NamedTensors written{{"output", outcome.output}};
    io::SafetensorsMetadata metadata;
    std::vector<std::string> none = outcome.no_grad;
    for (const auto& [name, grad] : outcome.grads)
        written.emplace_back("grad." + name, grad);
    if (model && run.backward)
        for (const auto& [name, param] : model->named_parameters()) {
            if (param.grad().defined())
                written.emplace_back("grad." + name, param.grad());
            else
                none.push_back(name);
        }
    for (const std::string& name : none)
        metadata["grad.none"] += (metadata["grad.none"].empty() ? "" : ",") + name;
    io::save_safetensors(run.output, written, metadata);
    return 0;
}

} // namespace nnscope::cli
