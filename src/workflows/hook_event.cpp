#include "workflows/hook_event.h"

namespace nnscope::workflows {

const char* hook_kind_name(HookKind kind) {
    switch (kind) {
    case HookKind::ForwardPre:
        return "forward_pre";
    case HookKind::Forward:
        return "forward";
    case HookKind::BackwardPre:
        return "backward_pre";
    case HookKind::Backward:
        return "backward";
    case HookKind::LegacyBackward:
        return "backward_legacy";
    case HookKind::ParamGrad:
        return "grad";
    case HookKind::OutputGrad:
        return "output_grad";
    case HookKind::StateDict:
        return "state_dict";
    case HookKind::LoadStateDictPre:
        return "load_state_dict_pre";
    case HookKind::LoadStateDictPost:
        return "load_state_dict_post";
    }
    return "?";
}

std::string hook_registration(HookKind kind) {
    switch (kind) {
    case HookKind::ForwardPre:
        return "m.register_forward_pre_hook(hook)";
    case HookKind::Forward:
        return "m.register_forward_hook(hook)";
    case HookKind::BackwardPre:
        return "m.register_full_backward_pre_hook(hook)";
    case HookKind::Backward:
        return "m.register_full_backward_hook(hook)";
    case HookKind::LegacyBackward:
        return "m.register_backward_hook(hook)";
    case HookKind::ParamGrad:
        return "p.register_hook(hook)";
    case HookKind::OutputGrad:
        return "m.register_forward_hook(lambda m, inputs, output: output.register_hook(hook))";
    case HookKind::StateDict:
        return "m._register_state_dict_hook(hook)";
    case HookKind::LoadStateDictPre:
        return "m._register_load_state_dict_pre_hook(hook, with_module=True)";
    case HookKind::LoadStateDictPost:
        return "m.register_load_state_dict_post_hook(hook)";
    }
    return {};
}

bool is_backward(HookKind kind) {
    return kind != HookKind::ForwardPre && kind != HookKind::Forward && !is_state_dict(kind);
}

bool is_tensor_hook(HookKind kind) {
    return kind == HookKind::ParamGrad || kind == HookKind::OutputGrad;
}

bool is_state_dict(HookKind kind) {
    return kind == HookKind::StateDict || kind == HookKind::LoadStateDictPre ||
           kind == HookKind::LoadStateDictPost;
}

std::string describe_place(const HookEvent& event) {
    if (event.kind == HookKind::ParamGrad) return "grad of " + event.module;
    const std::string name = event.module.empty() ? "the model" : event.module;
    if (event.kind == HookKind::OutputGrad) return "grad of " + name + "'s output";
    return name + " (" + event.module_type + ") " + hook_kind_name(event.kind);
}

} // namespace nnscope::workflows
