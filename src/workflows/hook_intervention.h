#pragma once
// The hooks a learner attaches from the hooks panel without writing code, each a real module hook
// registered on the model (removable through its handle) and shown with the PyTorch line that
// would do the same. Their effect shows in the next step's statistics.

#include "engine/tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnscope::nn {
class Module;
}

namespace nnscope::workflows {

struct HookIntervention {
    enum class Kind {
        ScaleGrad,    // full backward hook: grad_input * factor
        ZeroGrad,     // full backward hook: grad_input zeroed
        ClipGradNorm, // full backward hook: each grad_input scaled to at most `value` in 2-norm
        InputNoise,   // forward pre-hook: input + N(0, value^2) noise (from the run's generator)
    };
    std::uint64_t id = 0; // unique within a run (the panel's handle)
    std::string module;   // dotted path
    Kind kind = Kind::ScaleGrad;
    double value = 1; // the factor, the max norm, or the noise's std

    bool operator==(const HookIntervention&) const = default;
};

const char* intervention_kind_name(HookIntervention::Kind kind); // "scale_grad", "zero_grad", ...
// The PyTorch code that registers the same hook on `m`, e.g.
// "h = m.register_full_backward_hook(lambda m, gi, go: tuple(g * 0.5 if g is not None else None for
// g in gi))".
std::string pytorch_line(const HookIntervention& intervention);
// data::ConfigError for a non-finite value, a negative std or a max norm that is not positive.
void validate(const HookIntervention& intervention);
// Validates and registers the intervention's hook on `module` (the module at its path). Hooks of
// one kind run in registration order, so one registered after the probe's sees what it saw.
HookHandle register_intervention(nn::Module& module, const HookIntervention& intervention);

} // namespace nnscope::workflows
