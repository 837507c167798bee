// Module hooks as PyTorch's Module._call_impl and torch/utils/hooks.py BackwardHook run them.
// Full backward hooks wrap the module's tensor inputs and its output in identity autograd nodes
// ("BackwardHookFunctionBackward"): a pre-hook on the output node captures grad_output (and runs
// the backward pre-hooks), a post hook on the input node then sees grad_input and calls the
// user's hooks with both. When no input requires grad the input node does not exist and the
// hooks fire from the output node with grad_input all None, as PyTorch does.

#include "engine/nn/hooks.h"

#include "engine/autograd/grad_mode.h"
#include "engine/autograd/node.h"

#include <atomic>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>

namespace nnscope::nn {

namespace {

using autograd::TensorList;
using Indices = std::vector<std::size_t>;

class BackwardHookFunctionBackward final : public autograd::Node {
public:
    TensorList apply(TensorList&& grads) override { return std::move(grads); }
    std::string name() const override { return "BackwardHookFunctionBackward"; }
};

struct BackwardHookState {
    Module* module = nullptr;
    std::vector<BackwardHook> user_hooks;
    std::vector<BackwardPreHook> user_pre_hooks;
    std::optional<TensorList> grad_outputs;
    std::size_t n_inputs = 0;
    std::optional<Indices> input_tensors_index;
    std::size_t n_outputs = 1;
    std::optional<Indices> output_tensors_index;
};

TensorList pack_with_none(const Indices& indices, const TensorList& values, std::size_t size) {
    TensorList res(size);
    for (std::size_t k = 0; k < indices.size() && k < values.size(); ++k)
        res[indices[k]] = values[k];
    return res;
}

TensorList unpack_none(const Indices& indices, const TensorList& values) {
    TensorList res;
    res.reserve(indices.size());
    for (std::size_t idx : indices)
        res.push_back(values[idx]);
    return res;
}

// BackwardHookFunction.apply: replaces the defined tensors of `args` by identity outputs of one
// new node. Returns their positions, or nothing when none requires grad (or grad mode is off).
std::optional<Indices> wrap_tensors(TensorList& args, std::shared_ptr<autograd::Node>& node) {
    Indices idx;
    bool requires_grad = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (!args[i].defined()) continue;
        idx.push_back(i);
        requires_grad = requires_grad || args[i].requires_grad();
    }
    if (!(requires_grad && autograd::GradMode::is_enabled())) return std::nullopt;
    node = std::make_shared<BackwardHookFunctionBackward>();
    std::vector<const Tensor*> inputs;
    TensorList outputs(idx.size());
    std::vector<Tensor*> marked;
    for (std::size_t k = 0; k < idx.size(); ++k) {
        const Tensor& arg = args[idx[k]];
        inputs.push_back(&arg);
        // Inputs that need no gradient pass through unchanged (mark_non_differentiable).
        outputs[k] = arg.requires_grad() ? arg.detach() : arg;
        marked.push_back(arg.requires_grad() ? &outputs[k] : nullptr);
    }
    autograd::set_history(node, inputs, marked);
    for (std::size_t k = 0; k < idx.size(); ++k)
        args[idx[k]] = outputs[k];
    return idx;
}

void setup_input_hook(const std::shared_ptr<BackwardHookState>& state, TensorList& inputs) {
    std::shared_ptr<autograd::Node> node;
    state->input_tensors_index = wrap_tensors(inputs, node);
    state->n_inputs = inputs.size();
    if (!node) return;
    node->add_post_hook([state](const TensorList& grad_inputs, const TensorList&) -> TensorList {
        // Without grad_output the gradient reached the inputs some other way (double backward).
        if (!state->grad_outputs) return {};
        TensorList res = pack_with_none(*state->input_tensors_index, grad_inputs, state->n_inputs);
        for (const auto& hook : state->user_hooks) {
            TensorList out = hook(*state->module, res, *state->grad_outputs);
            if (out.empty()) continue;
            if (out.size() != res.size())
                throw std::runtime_error(
                    "Backward hook returned an invalid number of grad_input, got " +
                    std::to_string(out.size()) + ", but expected " + std::to_string(res.size()));
            res = std::move(out);
        }
        state->grad_outputs.reset();
        return unpack_none(*state->input_tensors_index, res);
    });
}

Tensor setup_output_hook(const std::shared_ptr<BackwardHookState>& state, const Tensor& output) {
    TensorList outputs{output};
    std::shared_ptr<autograd::Node> node;
    state->output_tensors_index = wrap_tensors(outputs, node);
    state->n_outputs = 1;
    if (!node) return output;
    node->add_pre_hook([state](const TensorList& grad_output) -> TensorList {
        state->grad_outputs =
            pack_with_none(*state->output_tensors_index, grad_output, state->n_outputs);
        for (const auto& hook : state->user_pre_hooks) {
            TensorList out = hook(*state->module, *state->grad_outputs);
            if (out.empty()) continue;
            if (out.size() != state->grad_outputs->size())
                throw std::runtime_error(
                    "Backward pre hook returned an invalid number of grad_output, got " +
                    std::to_string(out.size()) + ", but expected " +
                    std::to_string(state->grad_outputs->size()));
            state->grad_outputs = std::move(out);
        }
        const TensorList local_grad_outputs = *state->grad_outputs;
        if (!state->input_tensors_index) {
            const TensorList grad_inputs(state->n_inputs);
            for (const auto& hook : state->user_hooks) {
                const TensorList res = hook(*state->module, grad_inputs, local_grad_outputs);
                for (const Tensor& g : res)
                    if (g.defined())
                        throw std::runtime_error(
                            "Backward hook for Modules where no input requires gradient should "
                            "always return None or None for all gradients.");
            }
            state->grad_outputs.reset();
        }
        return unpack_none(*state->output_tensors_index, local_grad_outputs);
    });
    return outputs[0];
}

// Module._maybe_warn_non_full_backward_hook for a module of tensors in, one tensor out: the
// legacy hook misses part of grad_input when the node it sits on does not take the module's
// inputs directly (PyTorch compares the inputs' grad_fns with the node's next functions).
void maybe_warn_legacy_hook(const TensorList& inputs, const autograd::Node& grad_fn) {
    for (const Tensor& input : inputs)
        if (!input.defined()) {
            warn("Using non-full backward hooks on a Module that does not take as input a single "
                 "Tensor or a tuple of Tensors is deprecated and will be removed in future "
                 "versions. This hook will be missing some of the grad_input. Please use "
                 "register_full_backward_hook to get the documented behavior.");
            return;
        }
    std::set<const autograd::Node*> inputs_grad_fn, next_functions;
    for (const Tensor& input : inputs)
        if (input.grad_fn()) inputs_grad_fn.insert(input.grad_fn().get());
    for (const autograd::Edge& edge : grad_fn.next_edges())
        next_functions.insert(edge.function.get()); // nullptr: PyTorch's None
    if (inputs_grad_fn != next_functions)
        warn("Using a non-full backward hook when the forward contains multiple autograd Nodes is "
             "deprecated and will be removed in future versions. This hook will be missing some "
             "grad_input. Please use register_full_backward_hook to get the documented behavior.");
}

// The non-full hooks of _call_impl: each a post hook on the output's grad_fn, called with the
// node's grad_inputs (one per next edge, undefined where none flows) and grad_outputs.
void setup_legacy_hooks(Module& module, const ModuleHooks& hooks, const TensorList& inputs,
                        const Tensor& output) {
    if (!output.defined() || !output.grad_fn()) return;
    autograd::Node& grad_fn = *output.grad_fn();
    for (const auto& [id, hook] : hooks.legacy_backward)
        grad_fn.add_post_hook([hook, m = &module](const TensorList& grad_inputs,
                                                  const TensorList& grad_outputs) -> TensorList {
            TensorList out = hook(*m, grad_inputs, grad_outputs);
            if (!out.empty() && out.size() != grad_inputs.size())
                throw std::runtime_error("hook 'hook' has returned an incorrect number of values "
                                         "(got " +
                                         std::to_string(out.size()) + ", but expected " +
                                         std::to_string(grad_inputs.size()) + ")");
            return out;
        });
    maybe_warn_legacy_hook(inputs, grad_fn);
}

std::mutex warning_mutex;
WarningHandler warning_handler;

} // namespace

WarningHandler set_warning_handler(WarningHandler handler) {
    const std::lock_guard lock(warning_mutex);
    return std::exchange(warning_handler, std::move(handler));
}

void warn(const std::string& message) {
    WarningHandler handler;
    {
        const std::lock_guard lock(warning_mutex);
        handler = warning_handler;
        if (!handler) {
            static std::set<std::string> shown;
            if (shown.insert(message).second) std::cerr << "UserWarning: " << message << "\n";
            return;
        }
    }
    handler(message);
}

std::uint64_t next_module_hook_id() {
    static std::atomic<std::uint64_t> counter{0};
    return ++counter;
}

Tensor call_with_hooks(Module& module, const ModuleHooks& hooks, std::vector<Tensor> inputs,
                       const std::function<Tensor(const std::vector<Tensor>&)>& forward) {
    // Copies: a hook may remove itself (or another) while the call runs.
    const auto forward_pre = hooks.forward_pre;
    const auto forward_hooks = hooks.forward;
    for (const auto& [id, hook] : forward_pre) {
        std::vector<Tensor> replaced = hook(module, inputs);
        if (!replaced.empty()) inputs = std::move(replaced);
    }

    std::shared_ptr<BackwardHookState> state;
    if (!hooks.backward.empty() || !hooks.backward_pre.empty()) {
        state = std::make_shared<BackwardHookState>();
        state->module = &module;
        for (const auto& [id, hook] : hooks.backward)
            state->user_hooks.push_back(hook);
        for (const auto& [id, hook] : hooks.backward_pre)
            state->user_pre_hooks.push_back(hook);
        setup_input_hook(state, inputs);
    }

    Tensor result = forward(inputs);
    for (const auto& [id, hook] : forward_hooks) {
        Tensor replaced = hook(module, inputs, result);
        if (replaced.defined()) result = std::move(replaced);
    }
    // PyTorch wraps the output for full hooks first; both kinds never meet on one module there
    // (see Module::register_backward_hook), and here the legacy hooks see the real last node.
    if (!hooks.legacy_backward.empty() && autograd::GradMode::is_enabled())
        setup_legacy_hooks(module, hooks, inputs, result);
    if (state) result = setup_output_hook(state, result);
    return result;
}

} // namespace nnscope::nn
