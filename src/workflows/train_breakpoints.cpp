#include "workflows/train_breakpoints.h"

#include "data/config_error.h"
#include "engine/nn/value.h"
#include "engine/stats/tensor_stats.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace nnscope::workflows {

namespace {

constexpr std::array stats_in_order{BreakStat::Mean,     BreakStat::Std,    BreakStat::Min,
                                    BreakStat::Max,      BreakStat::MaxAbs, BreakStat::ZeroFraction,
                                    BreakStat::NonFinite};
constexpr std::array hooks_in_order{
    HookKind::ForwardPre,     HookKind::Forward,   HookKind::BackwardPre, HookKind::Backward,
    HookKind::LegacyBackward, HookKind::ParamGrad, HookKind::OutputGrad};

[[noreturn]] void refuse(const std::string& text, const std::string& why) {
    throw data::ConfigError("break-on",
                            "{break-on}: " + data::ConfigError::literal("'" + text + "': " + why));
}

double parse_number(const std::string& text, const std::string& number) {
    try {
        std::size_t used = 0;
        const double v = std::stod(number, &used);
        if (used == number.size() && !std::isnan(v)) return v;
    } catch (const std::exception&) {
    }
    refuse(text, "'" + number + "' is not a number");
}

std::int64_t parse_count(const std::string& text, const std::string& number) {
    try {
        std::size_t used = 0;
        const long long v = std::stoll(number, &used);
        if (used == number.size() && v >= 0) return v;
    } catch (const std::exception&) {
    }
    refuse(text, "'" + number + "' is not a step or epoch number (0, 1, ...)");
}

std::string place(const std::string& module, const std::string& type) {
    std::string text = module.empty() ? "the model" : module;
    if (!type.empty()) text += " (" + type + ")";
    return text;
}

// What a Condition's statistic is called in a message.
const char* stat_label(BreakStat stat) {
    switch (stat) {
    case BreakStat::MaxAbs:
        return "max |x|";
    case BreakStat::ZeroFraction:
        return "zero fraction";
    case BreakStat::NonFinite:
        return "non-finite count";
    default:
        return break_stat_name(stat);
    }
}

// The tensor a Condition at `hook` reads, as the event names it.
const char* condition_tensor_name(HookKind hook) {
    switch (hook) {
    case HookKind::ForwardPre:
        return "input";
    case HookKind::Forward:
        return "output";
    case HookKind::ParamGrad:
        return "grad";
    case HookKind::OutputGrad:
        return "output grad";
    default:
        return "grad_output";
    }
}

const Tensor* condition_tensor(const HookEvent& event) {
    const auto& list = event.kind == HookKind::ForwardPre ? event.inputs : event.outputs;
    for (const Tensor& t : list)
        if (t.defined()) return &t;
    return nullptr;
}

double stat_value(const stats::TensorStats& s, BreakStat stat) {
    switch (stat) {
    case BreakStat::Mean:
        return s.mean;
    case BreakStat::Std:
        return s.std;
    case BreakStat::Min:
        return s.min;
    case BreakStat::Max:
        return s.max;
    case BreakStat::MaxAbs:
        return std::max(std::abs(s.min), std::abs(s.max));
    case BreakStat::ZeroFraction:
        return s.zero_fraction();
    case BreakStat::NonFinite:
        return static_cast<double>(s.numel - s.finite);
    }
    return 0;
}

// NaN and infinities of a list of tensors (undefined entries: Python's None).
struct NonFiniteCount {
    std::int64_t nan = 0, inf = 0;
    bool any() const { return nan + inf > 0; }
    std::string text() const { // "12 NaN", "3 Inf", "12 NaN and 3 Inf"
        const std::string n = std::to_string(nan) + " NaN", i = std::to_string(inf) + " Inf";
        return nan && inf ? n + " and " + i : nan ? n : i;
    }
};

NonFiniteCount count_nonfinite(const std::vector<Tensor>& tensors) {
    NonFiniteCount count;
    for (const Tensor& t : tensors) {
        if (!t.defined()) continue;
        const stats::TensorStats s = stats::tensor_stats(t);
        count.nan += s.nan;
        count.inf += s.pos_inf + s.neg_inf;
    }
    return count;
}

// The first NaN or Inf at an event, blamed as train_breakpoints.h says; nothing when all its
// tensors are finite.
std::optional<std::string> nonfinite_message(const HookEvent& event) {
    const std::string prefix = "step " + std::to_string(event.step) + ": ";
    const std::string where = place(event.module, event.module_type);
    const NonFiniteCount in = count_nonfinite(event.inputs);
    const NonFiniteCount out = count_nonfinite(event.outputs);
    switch (event.kind) {
    case HookKind::ForwardPre:
        if (!in.any()) return std::nullopt;
        return prefix + "input of " + where + " has " + in.text() +
               " before its forward (made outside the observed modules)";
    case HookKind::Forward:
        if (out.any() && !in.any())
            return prefix + "output of " + where + " has " + out.text() + ", made by " +
                   (event.operation.empty() ? "its forward" : event.operation) +
                   " from finite inputs";
        if (in.any()) return prefix + "input of " + where + " has " + in.text();
        return std::nullopt;
    case HookKind::ParamGrad:
        if (!out.any()) return std::nullopt;
        return prefix + "grad of " + event.module + " has " + out.text();
    default: // backward kinds: grad_input in inputs, grad_output in outputs
        if (in.any() && !out.any()) return prefix + "grad_input of " + where + " has " + in.text();
        if (out.any()) return prefix + "grad_output of " + where + " has " + out.text();
        return std::nullopt;
    }
}

HookEvent shapes_only(const HookEvent& event) {
    HookEvent copy = event;
    copy.inputs.clear();
    copy.outputs.clear();
    return copy;
}

} // namespace

const char* break_stat_name(BreakStat stat) {
    switch (stat) {
    case BreakStat::Mean:
        return "mean";
    case BreakStat::Std:
        return "std";
    case BreakStat::Min:
        return "min";
    case BreakStat::Max:
        return "max";
    case BreakStat::MaxAbs:
        return "max_abs";
    case BreakStat::ZeroFraction:
        return "zeros";
    case BreakStat::NonFinite:
        return "nonfinite";
    }
    return "?";
}

Breakpoint parse_breakpoint(const std::string& text) {
    Breakpoint b;
    const auto after = [&](const char* prefix) -> std::optional<std::string> {
        const std::string p = prefix;
        if (text.compare(0, p.size(), p) != 0) return std::nullopt;
        return text.substr(p.size());
    };
    if (text == "nonfinite") {
        b.kind = Breakpoint::Kind::NonFinite;
    } else if (auto x = after("loss>")) {
        b.kind = Breakpoint::Kind::LossAbove;
        b.threshold = parse_number(text, *x);
    } else if (auto m = after("forward:")) {
        b.kind = Breakpoint::Kind::Forward;
        b.module = *m;
    } else if (auto m = after("backward:")) {
        b.kind = Breakpoint::Kind::Backward;
        b.module = *m;
    } else if (auto n = after("step:")) {
        b.kind = Breakpoint::Kind::Step;
        b.at = parse_count(text, *n);
    } else if (auto n = after("epoch:")) {
        b.kind = Breakpoint::Kind::Epoch;
        b.at = parse_count(text, *n);
    } else {
        const auto op = text.find_first_of("<>");
        const std::string forms = "expected nonfinite, loss>X, forward:MODULE, backward:MODULE, "
                                  "step:N, epoch:N or MODULE.HOOK.STAT>X (or <X)";
        if (op == std::string::npos) refuse(text, forms);
        const std::string lhs = text.substr(0, op);
        const auto stat_dot = lhs.rfind('.');
        if (stat_dot == std::string::npos) refuse(text, forms);
        const auto hook_dot = lhs.rfind('.', stat_dot == 0 ? 0 : stat_dot - 1);
        const bool has_module = hook_dot != std::string::npos && hook_dot < stat_dot;
        const std::string hook =
            lhs.substr(has_module ? hook_dot + 1 : 0, stat_dot - (has_module ? hook_dot + 1 : 0));
        const std::string stat = lhs.substr(stat_dot + 1);
        b.kind = Breakpoint::Kind::Condition;
        b.module = has_module ? lhs.substr(0, hook_dot) : "";
        const auto h = std::find_if(hooks_in_order.begin(), hooks_in_order.end(),
                                    [&](HookKind k) { return hook == hook_kind_name(k); });
        if (h == hooks_in_order.end())
            refuse(text, "unknown hook '" + hook +
                             "' (forward_pre, forward, backward_pre, backward, "
                             "backward_legacy, grad or output_grad)");
        const auto s = std::find_if(stats_in_order.begin(), stats_in_order.end(),
                                    [&](BreakStat k) { return stat == break_stat_name(k); });
        if (s == stats_in_order.end())
            refuse(text, "unknown statistic '" + stat +
                             "' (mean, std, min, max, max_abs, zeros or nonfinite)");
        b.hook = *h;
        b.stat = *s;
        b.above = text[op] == '>';
        b.threshold = parse_number(text, text.substr(op + 1));
    }
    return b;
}

std::string to_string(const Breakpoint& b) {
    switch (b.kind) {
    case Breakpoint::Kind::Forward:
        return "forward:" + b.module;
    case Breakpoint::Kind::Backward:
        return "backward:" + b.module;
    case Breakpoint::Kind::NonFinite:
        return "nonfinite";
    case Breakpoint::Kind::LossAbove:
        return "loss>" + nn::python_float_repr(b.threshold);
    case Breakpoint::Kind::Step:
        return "step:" + std::to_string(b.at);
    case Breakpoint::Kind::Epoch:
        return "epoch:" + std::to_string(b.at);
    case Breakpoint::Kind::Condition:
        return (b.module.empty() ? "" : b.module + ".") + hook_kind_name(b.hook) + "." +
               break_stat_name(b.stat) + (b.above ? ">" : "<") + nn::python_float_repr(b.threshold);
    }
    return {};
}

std::string describe(const Breakpoint& b, const std::string& module_type) {
    switch (b.kind) {
    case Breakpoint::Kind::Forward:
        return "forward of " + place(b.module, module_type);
    case Breakpoint::Kind::Backward:
        return "backward of " + place(b.module, module_type);
    case Breakpoint::Kind::NonFinite:
        return "the first NaN or Inf";
    case Breakpoint::Kind::LossAbove:
        return "loss > " + nn::python_float_repr(b.threshold);
    case Breakpoint::Kind::Step:
        return "before step " + std::to_string(b.at);
    case Breakpoint::Kind::Epoch:
        return "before epoch " + std::to_string(b.at);
    case Breakpoint::Kind::Condition:
        return std::string(stat_label(b.stat)) + " of " + place(b.module, module_type) + " " +
               condition_tensor_name(b.hook) + (b.above ? " > " : " < ") +
               nn::python_float_repr(b.threshold);
    }
    return {};
}

void BreakpointChecker::set(std::vector<Breakpoint> breakpoints) {
    breakpoints_ = std::move(breakpoints);
    nonfinite_hit_ = false;
}

bool BreakpointChecker::needs_events() const {
    for (const Breakpoint& b : breakpoints_)
        if (b.enabled &&
            (b.kind == Breakpoint::Kind::Forward || b.kind == Breakpoint::Kind::Backward ||
             b.kind == Breakpoint::Kind::Condition || b.kind == Breakpoint::Kind::NonFinite))
            return true;
    return false;
}

std::optional<BreakHit> BreakpointChecker::before_step(std::int64_t step, std::int64_t epoch,
                                                       std::int64_t batch_in_epoch) const {
    for (std::size_t i = 0; i < breakpoints_.size(); ++i) {
        const Breakpoint& b = breakpoints_[i];
        if (!b.enabled) continue;
        if (b.kind == Breakpoint::Kind::Step && b.at == step)
            return BreakHit{i, step, epoch, std::nullopt, "before step " + std::to_string(step)};
        if (b.kind == Breakpoint::Kind::Epoch && b.at == epoch && batch_in_epoch == 0)
            return BreakHit{i, step, epoch, std::nullopt,
                            "before epoch " + std::to_string(epoch) + " (step " +
                                std::to_string(step) + ")"};
    }
    return std::nullopt;
}

std::optional<BreakHit> BreakpointChecker::at_event(const HookEvent& event,
                                                    std::int64_t epoch) const {
    const std::string prefix = "step " + std::to_string(event.step) + ": ";
    for (std::size_t i = 0; i < breakpoints_.size(); ++i) {
        const Breakpoint& b = breakpoints_[i];
        if (!b.enabled) continue;
        std::optional<std::string> message;
        switch (b.kind) {
        case Breakpoint::Kind::Forward:
        case Breakpoint::Kind::Backward: {
            const HookKind wanted =
                b.kind == Breakpoint::Kind::Forward ? HookKind::Forward : HookKind::Backward;
            if (event.kind == wanted && event.module == b.module)
                message = prefix + describe(b, event.module_type);
            break;
        }
        case Breakpoint::Kind::Condition: {
            if (event.kind != b.hook || event.module != b.module) break;
            const Tensor* t = condition_tensor(event);
            if (!t) break;
            const double v = stat_value(stats::tensor_stats(*t), b.stat);
            if (b.above ? v > b.threshold : v < b.threshold)
                message = prefix + stat_label(b.stat) + " of " +
                          place(event.module, event.module_type) + " " +
                          condition_tensor_name(b.hook) + " is " + nn::python_float_repr(v) +
                          (b.above ? " > " : " < ") + nn::python_float_repr(b.threshold);
            break;
        }
        case Breakpoint::Kind::NonFinite:
            if (nonfinite_hit_) break;
            message = nonfinite_message(event);
            if (message) nonfinite_hit_ = true;
            break;
        default:
            break;
        }
        if (message) return BreakHit{i, event.step, epoch, shapes_only(event), *message};
    }
    return std::nullopt;
}

std::optional<BreakHit> BreakpointChecker::at_loss(std::int64_t step, std::int64_t epoch,
                                                   double loss) const {
    const std::string prefix = "step " + std::to_string(step) + ": ";
    for (std::size_t i = 0; i < breakpoints_.size(); ++i) {
        const Breakpoint& b = breakpoints_[i];
        if (!b.enabled) continue;
        if (b.kind == Breakpoint::Kind::LossAbove && !(loss <= b.threshold))
            return BreakHit{i, step, epoch, std::nullopt,
                            prefix + "loss " + nn::python_float_repr(loss) + " > " +
                                nn::python_float_repr(b.threshold)};
        if (b.kind == Breakpoint::Kind::NonFinite && !nonfinite_hit_ && !std::isfinite(loss)) {
            nonfinite_hit_ = true;
            return BreakHit{i, step, epoch, std::nullopt,
                            prefix + "the loss is " + nn::python_float_repr(loss)};
        }
    }
    return std::nullopt;
}

} // namespace nnscope::workflows
