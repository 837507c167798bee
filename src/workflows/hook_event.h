#pragma once
// One firing of a hook during a training step, in PyTorch's order: a module's forward pre-hook,
// forward hook, full backward pre-hook, full backward hook or legacy (non-full) backward hook, a
// tensor hook on a parameter's gradient or on a module's output (registered by a forward hook),
// or a state_dict hook when the model is saved or loaded. The training probe (train_probe.h) makes
// them, the breakpoints (train_breakpoints.h) judge them, the stepping worker pauses on them and
// the window's hook timeline lists them.

#include "engine/tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnscope::workflows {

enum class HookKind {
    ForwardPre,     // register_forward_pre_hook: inputs
    Forward,        // register_forward_hook: inputs, output
    BackwardPre,    // register_full_backward_pre_hook (PyTorch 2.0): grad_output
    Backward,       // register_full_backward_hook: grad_input, grad_output
    LegacyBackward, // register_backward_hook (1.13): the grad_fn of the module's last operation
    ParamGrad,      // param.register_hook: the gradient of one parameter
    // output.register_hook in a forward hook: the gradient of the module's output (the tensor
    // forward returned, before a full backward hook wraps it), when backward computes it.
    OutputGrad,
    StateDict,         // m._register_state_dict_hook: after the module's entries (post-order)
    LoadStateDictPre,  // m._register_load_state_dict_pre_hook: before the module loads its own
    LoadStateDictPost, // m.register_load_state_dict_post_hook: after it and its children loaded
};
// "forward_pre", "forward", "backward_pre", "backward", "backward_legacy", "grad", "output_grad",
// "state_dict", "load_state_dict_pre", "load_state_dict_post".
const char* hook_kind_name(HookKind kind);
// The PyTorch call that registers such a hook, e.g. "m.register_full_backward_hook(hook)".
std::string hook_registration(HookKind kind);
// BackwardPre, Backward, LegacyBackward, ParamGrad, OutputGrad
bool is_backward(HookKind kind);
bool is_state_dict(HookKind kind); // StateDict, LoadStateDictPre, LoadStateDictPost
// A tensor's register_hook (ParamGrad, OutputGrad): called with one tensor, `grad`.
bool is_tensor_hook(HookKind kind);

struct HookEvent {
    std::int64_t step = 0;   // the run's step (0-based, counted over epochs)
    std::int64_t seq = 0;    // the firing's place in its step (0-based)
    std::string module;      // dotted path ("" the root); for ParamGrad the parameter's name
    std::string module_type; // "Linear"; for ParamGrad the owning module's type
    HookKind kind = HookKind::Forward;
    // Forward kinds: the inputs and (Forward) the output in `outputs`. Backward kinds: grad_input
    // in `inputs` (an undefined entry is Python's None) and grad_output in `outputs`. ParamGrad:
    // and OutputGrad: the gradient in `outputs`. State_dict kinds: no tensors. While the hook runs
    // these are the live tensors; an event kept after it (the timeline) holds detached copies only
    // when the probe captures tensors, else the vectors are empty and only the shapes remain.
    std::vector<Tensor> inputs, outputs;
    std::vector<std::vector<std::int64_t>> input_shapes, output_shapes;
    // The grad_fn name of the output in forward ("AddmmBackward0"), the node in backward: names
    // the operation a non-finite value is blamed on.
    std::string operation;
};

// "3 (Linear) forward" / "grad of 3.weight" / "grad of 3's output": how messages name an
// event's place.
std::string describe_place(const HookEvent& event);

} // namespace nnscope::workflows
