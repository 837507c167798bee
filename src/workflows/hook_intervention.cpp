#include "workflows/hook_intervention.h"

#include "data/config_error.h"
#include "engine/generator.h"
#include "engine/nn/module.h"
#include "engine/nn/value.h"
#include "engine/ops/elementwise.h"
#include "engine/random.h"
#include "workflows/train_probe_norms.h"

#include <cmath>
#include <sstream>

namespace nnscope::workflows {

namespace {

using Kind = HookIntervention::Kind;

// The value as Python prints a float literal (repr: the shortest text that round-trips).
std::string number(double v) {
    return nn::python_float_repr(v);
}

// clip_grad_norm_'s rule, applied to one gradient: scale by max / (norm + 1e-6) when below 1.
Tensor clipped(const Tensor& g, double max_norm) {
    const double coef = max_norm / (l2_norm(g) + 1e-6);
    return coef < 1 ? g * coef : g;
}

std::vector<Tensor> map_defined(const std::vector<Tensor>& grads,
                                const std::function<Tensor(const Tensor&)>& fn) {
    std::vector<Tensor> out;
    out.reserve(grads.size());
    for (const Tensor& g : grads)
        out.push_back(g.defined() ? fn(g) : Tensor());
    return out;
}

} // namespace

const char* intervention_kind_name(Kind kind) {
    switch (kind) {
    case Kind::ScaleGrad:
        return "scale_grad";
    case Kind::ZeroGrad:
        return "zero_grad";
    case Kind::ClipGradNorm:
        return "clip_grad_norm";
    case Kind::InputNoise:
        return "input_noise";
    }
    return "?";
}

std::string pytorch_line(const HookIntervention& iv) {
    const std::string v = number(iv.value);
    switch (iv.kind) {
    case Kind::ScaleGrad:
        return "h = m.register_full_backward_hook(lambda m, gi, go: tuple(g * " + v +
               " if g is not None else None for g in gi))";
    case Kind::ZeroGrad:
        return "h = m.register_full_backward_hook(lambda m, gi, go: tuple(torch.zeros_like(g) if "
               "g is not None else None for g in gi))";
    case Kind::ClipGradNorm:
        return "h = m.register_full_backward_hook(lambda m, gi, go: tuple(g * min(1.0, " + v +
               " / (g.norm().item() + 1e-6)) if g is not None else None for g in gi))";
    case Kind::InputNoise:
        return "h = m.register_forward_pre_hook(lambda m, inp: tuple(x + torch.randn_like(x) * " +
               v + " for x in inp))";
    }
    return {};
}

void validate(const HookIntervention& iv) {
    if (!std::isfinite(iv.value))
        throw data::ConfigError("value", std::string(intervention_kind_name(iv.kind)) +
                                             " needs a finite value, got " + number(iv.value));
    if (iv.kind == Kind::InputNoise && iv.value < 0)
        throw data::ConfigError("value", "input_noise needs a std >= 0, got " + number(iv.value));
    if (iv.kind == Kind::ClipGradNorm && iv.value <= 0)
        throw data::ConfigError("value",
                                "clip_grad_norm needs a max norm > 0, got " + number(iv.value));
}

HookHandle register_intervention(nn::Module& module, const HookIntervention& iv) {
    validate(iv);
    const double value = iv.value;
    switch (iv.kind) {
    case Kind::ScaleGrad:
        return module.register_full_backward_hook(
            [value](nn::Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>&) {
                return map_defined(gi, [value](const Tensor& g) { return g * value; });
            });
    case Kind::ZeroGrad:
        return module.register_full_backward_hook(
            [](nn::Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>&) {
                return map_defined(gi, [](const Tensor& g) { return Tensor::zeros_like(g); });
            });
    case Kind::ClipGradNorm:
        return module.register_full_backward_hook(
            [value](nn::Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>&) {
                return map_defined(gi, [value](const Tensor& g) { return clipped(g, value); });
            });
    case Kind::InputNoise:
        return module.register_forward_pre_hook(
            [value](nn::Module&, const std::vector<Tensor>& inputs) {
                return map_defined(inputs, [value](const Tensor& x) {
                    if (!x.is_floating_point()) return x;
                    return x + randn(x.shape(), default_generator(), x.dtype()) * value;
                });
            });
    }
    return {};
}

} // namespace nnscope::workflows
