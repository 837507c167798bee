#pragma once
// One firing of a hook during a training step, in PyTorch's order: a module's forward pre-hook,
// forward hook, full backward pre-hook, full backward hook or legacy (non-full) backward hook, or
// a tensor hook on a parameter's gradient. The training probe (train_probe.h) makes them, the
// breakpoints (train_breakpoints.h) judge them, the stepping worker pauses on them and the
// window's hook timeline lists them.

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
};
// "forward_pre", "forward", "backward_pre", "backward", "backward_legacy", "grad".
const char* hook_kind_name(HookKind kind);
// The PyTorch call that registers such a hook, e.g. "m.register_full_backward_hook(hook)".
std::string hook_registration(HookKind kind);
bool is_backward(HookKind kind); // BackwardPre, Backward, LegacyBackward, ParamGrad

struct HookEvent {
    std::int64_t step = 0;   // the run's step (0-based, counted over epochs)
    std::int64_t seq = 0;    // the firing's place in its step (0-based)
    std::string module;      // dotted path ("" the root); for ParamGrad the parameter's name
    std::string module_type; // "Linear"; for ParamGrad the owning module's type
    HookKind kind = HookKind::Forward;
    // Forward kinds: the inputs and (Forward) the output in `outputs`. Backward kinds: grad_input
    // in `inputs` (an undefined entry is Python's None) and grad_output in `outputs`. ParamGrad:
    // the gradient in `outputs`. While the hook runs these are the live tensors; an event kept
    // after it (the timeline) holds detached copies only when the probe captures tensors, else
    // the vectors are empty and only the shapes remain.
    std::vector<Tensor> inputs, outputs;
    std::vector<std::vector<std::int64_t>> input_shapes, output_shapes;
    // The grad_fn name of the output in forward ("AddmmBackward0"), the node in backward: names
    // the operation a non-finite value is blamed on.
    std::string operation;
};

// "3 (Linear) forward" / "grad of 3.weight": how messages name an event's place.
std::string describe_place(const HookEvent& event);

} // namespace nnscope::workflows
