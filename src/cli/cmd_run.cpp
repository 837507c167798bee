// nnscope-cli run FILE --input IN --output OUT [--backward] [--train] [--trace-hooks]
// [--save-state] [--threads N]: feeds tensor "input" of IN to the model and writes "output" to OUT;
// FILE is any runnable model (a native model, ONNX, a whole-model PyTorch pickle or TorchScript
// file, a state_dict with --architecture: workflows/runnable_model.h);
// --backward adds "grad.input" and "grad.<param>" (backpropagating IN's "grad_output", or ones;
// a tensor without gradient is named in the metadata entry "grad.none" instead),
// --train runs in training mode and adds every buffer after the forward as "buffer.<name>",
// --save-state adds the state_dict the model started from as "state.<key>", --trace-hooks
// prints one JSON line per hook firing (module, tensor and state_dict hooks), --non-strict loads
// an --architecture's state_dict with strict=False and reports the keys on stderr.

#include "cli/commands.h"
#include "cli/run_flags.h"
#include "cli/run_named.h"
#include "cli/run_predict.h"
#include "cli/subcommands.h"
#include "cli/thread_flags.h"
#include "io/safetensors.h"
#include "workflows/forward_context.h"
#include "workflows/hook_event.h"
#include "workflows/runnable_model.h"

#include <iostream>
#include <nlohmann/json.hpp>

namespace nnscope::cli {

namespace {

using workflows::HookKind;

void trace(HookKind kind, const std::string& name) {
    // One line per firing, flushed, so a crash later still shows how far the run got.
    // Spaced as Python's json.dumps writes it, so traces compare as text with PyTorch's.
    std::cout << "{\"hook\": \"" << workflows::hook_kind_name(kind) << "\", \""
              << (kind == HookKind::ParamGrad ? "parameter" : "module")
              << "\": " << nlohmann::json(name).dump() << "}" << std::endl;
}

// Every hook a learner can register, on every module and parameter: the module hooks, a tensor
// hook on each module's output (registered by its forward hook, as in PyTorch), a tensor hook on
// each parameter, and the state_dict hooks (they fire with --save-state and, before the forward,
// when --architecture loads the state_dict).
std::vector<HookHandle> add_trace_hooks(nn::Module& root) {
    std::vector<HookHandle> handles;
    for (const auto& [path, module] : root.named_modules()) {
        const std::string name = path;
        handles.push_back(
            module->register_forward_pre_hook([name](nn::Module&, const std::vector<Tensor>&) {
                trace(HookKind::ForwardPre, name);
                return std::vector<Tensor>{};
            }));
        handles.push_back(module->register_forward_hook(
            [name](nn::Module&, const std::vector<Tensor>&, const Tensor& output) {
                trace(HookKind::Forward, name);
                if (output.defined() && output.requires_grad())
                    output.register_hook([name](const Tensor&) {
                        trace(HookKind::OutputGrad, name);
                        return Tensor();
                    });
                return Tensor();
            }));
        handles.push_back(module->register_full_backward_pre_hook(
            [name](nn::Module&, const std::vector<Tensor>&) {
                trace(HookKind::BackwardPre, name);
                return std::vector<Tensor>{};
            }));
        handles.push_back(module->register_full_backward_hook(
            [name](nn::Module&, const std::vector<Tensor>&, const std::vector<Tensor>&) {
                trace(HookKind::Backward, name);
                return std::vector<Tensor>{};
            }));
        handles.push_back(module->register_state_dict_hook(
            [name](nn::Module&, nn::StateDict&, const std::string&) {
                trace(HookKind::StateDict, name);
            }));
        handles.push_back(module->register_load_state_dict_pre_hook(
            [name](nn::Module&, nn::StateDict&, const std::string&, nn::IncompatibleKeys&,
                   std::vector<std::string>&) { trace(HookKind::LoadStateDictPre, name); }));
        handles.push_back(
            module->register_load_state_dict_post_hook([name](nn::Module&, nn::IncompatibleKeys&) {
                trace(HookKind::LoadStateDictPost, name);
            }));
    }
    for (const auto& [name, param] : root.named_parameters())
        if (param.requires_grad())
            handles.push_back(param.register_hook([name](const Tensor&) {
                trace(HookKind::ParamGrad, name);
                return Tensor();
            }));
    return handles;
}

int run(Args args) {
    const std::vector<std::string> inputs = args.option_list("input");
    const std::vector<std::string> op_args = args.option_list("arg");
    const auto input_path = args.option("input");
    const auto output_path = args.option("output");
    const bool backward = args.flag("backward");
    const bool train = args.flag("train");
    const bool trace_hooks = args.flag("trace-hooks");
    const bool save_state = args.flag("save-state");
    const PredictFlags predict = read_predict_flags(args);
    apply_threads(args);
    const std::string file = args.positional("FILE (a model file, or mlp / cnn)");
    args.finish();
    if (is_named_run(file, inputs)) {
        if (predict.asked || trace_hooks || save_state)
            throw UsageError("named inputs (NAME=FILE) and op:NAME take --output, --backward, "
                             "--train and --arg only");
        if (!output_path) throw UsageError("missing --output OUT.safetensors");
        return run_named(
            {file, inputs, op_args, *output_path, backward, train, predict.architecture});
    }
    if (!op_args.empty()) throw UsageError("--arg is for an operation (op:NAME)");
    // An image, a random tensor or any prediction option: the prediction mode (run_predict.h).
    const bool tensor_file = input_path && input_path->ends_with(".safetensors");
    if (!tensor_file || predict.asked) {
        if (backward || train || trace_hooks || save_state)
            throw UsageError("--backward, --train, --trace-hooks and --save-state need --input "
                             "IN.safetensors --output OUT.safetensors (no prediction options)");
        return run_predict(file, input_path, output_path, predict);
    }
    if (!output_path)
        throw UsageError("missing --output OUT.safetensors (or --topk K to print predictions)");

    std::vector<HookHandle> hooks;
    workflows::StateDictLoad load = state_dict_load(predict);
    if (trace_hooks)
        load.before_load = [&hooks](nn::Module& built) { hooks = add_trace_hooks(built); };
    const workflows::RunnableModel runnable =
        workflows::open_runnable_model(file, predict.architecture, load);
    if (const std::string report = load_report(predict, runnable); !report.empty())
        std::cerr << "nnscope-cli run: " << report << "\n";
    const std::shared_ptr<nn::Module> model = runnable.module;
    nn::Module& module = *model;
    module.train(train);
    if (trace_hooks && hooks.empty()) hooks = add_trace_hooks(module);

    io::NamedTensors written;
    io::SafetensorsMetadata metadata;
    if (save_state)
        for (const auto& [key, value] : module.state_dict())
            written.emplace_back("state." + key, value.clone());

    const io::SafetensorsFile in(*input_path);
    Tensor input = read_input_tensor(in, "input");
    const bool input_grad = backward && input.is_floating_point();
    if (input_grad) input = input.clone().detach().requires_grad_(true);

    const Tensor output = workflows::ForwardContext(module).run(module, input);
    written.emplace_back("output", output.detach());
    if (train)
        for (const auto& [name, buffer] : module.named_buffers())
            written.emplace_back("buffer." + name, buffer.detach().clone());

    if (backward) {
        Tensor grad_output;
        if (in.contains("grad_output")) {
            grad_output = read_input_tensor(in, "grad_output");
            if (grad_output.shape() != output.shape())
                throw std::invalid_argument(in.path().string() + ": grad_output has shape " +
                                            shape_to_string(grad_output.shape()) +
                                            " but the output has shape " +
                                            shape_to_string(output.shape()));
        } else {
            grad_output = Tensor::ones(output.shape(), output.dtype());
        }
        if (!output.requires_grad())
            throw std::invalid_argument("--backward: the output does not require grad (the model "
                                        "has no parameters and the input is not floating point)");
        output.backward(grad_output);
        // A tensor the output does not depend on has no gradient (None in PyTorch): it is left
        // out of OUT and named in the metadata entry "grad.none", never written as zeros.
        auto add_grad = [&](const std::string& name, const Tensor& g) {
            if (g.defined()) {
                written.emplace_back("grad." + name, g);
                return;
            }
            std::string& none = metadata["grad.none"];
            none += (none.empty() ? "" : ",") + name;
        };
        if (input_grad) add_grad("input", input.grad());
        for (const auto& [name, param] : module.named_parameters())
            add_grad(name, param.grad());
    }

    io::save_safetensors(*output_path, written, metadata);
    if (auto bad = non_finite(output); !bad.empty())
        std::cerr << "nnscope-cli run: warning: the output contains " << bad << "\n";
    return 0;
}

} // namespace

const Command& run_command() {
    static const Command command{
        "run", "run a model on an input: predictions, or forward and backward into a tensor file",
        [] {
            std::vector<Option> options{
                positional("FILE", "a model: native nnscope, ONNX, a whole-model PyTorch pickle "
                                   "or TorchScript file, a state_dict with --architecture, or "
                                   "mlp / cnn, the bundled models; or op:NAME, one of gather, "
                                   "index_select, scatter_add, embedding, cross_entropy, "
                                   "nll_loss, mse_loss"),
                value("input", "IN",
                      "IN.safetensors: its tensor \"input\" is the model's input "
                      "(\"grad_output\", when present, is backpropagated with --backward, ones "
                      "otherwise); IMAGE.png or .jpg: an image (PNG or JPEG by its content), "
                      "preprocessed as --preset says; random: a random tensor of the model's "
                      "input shape (or --dataset below); NAME=IN.safetensors[:TENSOR] "
                      "(repeatable): the tensor NAME of an op or a model taking several (input, "
                      "index, target, weight, src, grad_output), TENSOR of IN (default NAME)",
                      true),
                value("arg", "KEY=VALUE",
                      "an argument of op:NAME by PyTorch's name (dim=1, ignore_index=0, "
                      "reduction=sum, label_smoothing=0.1, padding_idx=None); repeatable"),
                value("output", "OUT.safetensors",
                      "where to write \"output\" (and the gradients, buffers and state asked "
                      "for); without it, the top-k predictions are printed"),
                flag("backward",
                     "also compute and write \"grad.input\" and \"grad.<param>\"; a "
                     "tensor without gradient is named in the metadata entry \"grad.none\""),
                flag("train",
                     "run in training mode (dropout, batch statistics) and write every buffer "
                     "after the forward as \"buffer.<name>\""),
                flag("trace-hooks",
                     "print one JSON line per hook firing, in firing order: module hooks, tensor "
                     "hooks on each module's output and each parameter, state_dict hooks "
                     "(--save-state) and load_state_dict hooks (--architecture)"),
                flag("save-state",
                     "write the state_dict the model started from as \"state.<key>\"")};
            for (const Option& o : predict_options())
                options.push_back(o);
            options.push_back(threads_option());
            return options;
        }(),
        "With --output and a .safetensors input (and no prediction option) FILE runs as a "
        "tensor function: --backward, --train, --trace-hooks and --save-state apply. Otherwise "
        "the K most likely classes are printed with their names (ImageNet's for 1,000 classes), "
        "and --target / --label run one backward (--saliency then writes the input's saliency). "
        "With op:NAME, or NAME=IN inputs, the tensors are matched to PyTorch's argument names "
        "(input, index, target, ...; a loss model takes input and target) and \"output\" and, "
        "with --backward, \"grad.<name>\" are written. "
        "Example: nnscope-cli run resnet18.onnx --input cat.png --preset imagenet --topk 5; "
        "nnscope-cli run op:gather --input input=x.safetensors --input index=i.safetensors "
        "--arg dim=1 --output out.safetensors --backward",
        run};
    return command;
}

} // namespace nnscope::cli
