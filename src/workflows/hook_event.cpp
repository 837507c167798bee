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
    }
    return {};
}

bool is_backward(HookKind kind) {
    return kind != HookKind::ForwardPre && kind != HookKind::Forward;
}

std::string describe_place(const HookEvent& event) {
    if (event.kind == HookKind::ParamGrad) return "grad of " + event.module;
    const std::string name = event.module.empty() ? "the model" : event.module;
    return name + " (" + event.module_type + ") " + hook_kind_name(event.kind);
}

} // namespace nnscope::workflows
