#pragma once
// Where a training run stops by itself: before or after a module's forward or backward, at the
// first non-finite value anywhere (blamed on the forward operation and module that produced it,
// or on the backward of the module whose grad_input turned non-finite from finite grad_output),
// a loss above a threshold, a step or an epoch, or a condition on a statistic of the tensor at a
// hook (TensorBoard's old debugger's "continue until"). Plain values and a checker; the CLI's
// --break-on, the window's module tree menu and its breakpoints list all make Breakpoints.

#include "workflows/hook_event.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::workflows {

enum class BreakStat { Mean, Std, Min, Max, MaxAbs, ZeroFraction, NonFinite };
const char*
break_stat_name(BreakStat stat); // "mean", "std", "min", "max", "max_abs", "zeros", "nonfinite"

struct Breakpoint {
    enum class Kind {
        Forward,   // the forward hook of `module` (its output computed)
        Backward,  // the full backward hook of `module`
        NonFinite, // the first NaN or Inf in any observed tensor
        LossAbove, // the loss > threshold (after forward)
        Step,      // before step `at` (0-based) begins
        Epoch,     // before epoch `at` (0-based) begins
        Condition, // at `hook` of `module`: `stat` of the tensor there `above` ? > : < threshold
    };
    Kind kind = Kind::NonFinite;
    std::string module;
    HookKind hook = HookKind::Forward;  // Condition only
    BreakStat stat = BreakStat::MaxAbs; // Condition only
    bool above = true;                  // Condition only
    double threshold = 0;
    std::int64_t at = 0;
    bool enabled = true;

    bool operator==(const Breakpoint&) const = default;
};

// "nonfinite" | "loss>X" | "forward:MODULE" | "backward:MODULE" | "step:N" | "epoch:N" |
// "MODULE.HOOK.STAT>X" / "<X" (HOOK: forward, backward; STAT as break_stat_name). Throws
// data::ConfigError (field "break-on") naming what is wrong.
// The tensor a Condition reads at its hook: forward_pre the first input, forward the output,
// backward (and backward_pre, backward_legacy) the first grad_output, grad the gradient.
Breakpoint parse_breakpoint(const std::string& text);
std::string to_string(const Breakpoint& breakpoint); // the form parse_breakpoint reads
// For people: "forward of 3 (Linear)" given the module's type, "forward of 3" without it.
std::string describe(const Breakpoint& breakpoint, const std::string& module_type = {});

// Where and why a run stopped: "step 17: grad_input of 3 (Linear) has 12 NaN".
struct BreakHit {
    std::size_t breakpoint = 0; // index into the checker's list
    std::int64_t step = 0, epoch = 0;
    std::optional<HookEvent> event; // the hook where it stopped (shapes only), if any
    std::string message;
};

// The checks run in the breakpoints' order and the first that matches is the hit. NonFinite
// matches once per set(): at the first hook event with a NaN or Inf in any of its tensors (the
// window then runs on through the NaNs that follow). Its message blames what made the value: in
// forward, the first module (forward hooks fire innermost first) whose output is non-finite from
// finite inputs, with the operation (HookEvent::operation); in backward, the module whose
// grad_input is non-finite from a finite grad_output; NaN and Inf are counted apart ("step 17:
// grad_input of 3 (Linear) has 12 NaN and 3 Inf"). LossAbove matches a NaN loss too.
class BreakpointChecker {
public:
    void set(std::vector<Breakpoint> breakpoints);
    const std::vector<Breakpoint>& breakpoints() const { return breakpoints_; }
    // True when some breakpoint needs every step's events (module, condition, non-finite).
    bool needs_events() const;

    // Before a step begins (Step breakpoints; Epoch ones at the epoch's first batch only).
    std::optional<BreakHit> before_step(std::int64_t step, std::int64_t epoch,
                                        std::int64_t batch_in_epoch) const;
    // At a hook firing, with its live tensors (Forward, Backward, Condition, NonFinite).
    std::optional<BreakHit> at_event(const HookEvent& event, std::int64_t epoch) const;
    // After the forward pass (LossAbove; a non-finite loss when NonFinite is set).
    std::optional<BreakHit> at_loss(std::int64_t step, std::int64_t epoch, double loss) const;

private:
    std::vector<Breakpoint> breakpoints_;
    mutable bool nonfinite_hit_ = false; // NonFinite matches once
};

} // namespace nnscope::workflows
