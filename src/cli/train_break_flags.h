#pragma once
// `nnscope-cli train --break-on WHERE` (repeatable): the run watched by a TrainProbe that makes
// hook events (statistics stay off), checked by a workflows::BreakpointChecker before each step,
// at each hook event and at the loss. The first hit abandons the step under way (the optimizer
// has not stepped) and the command prints where it stopped and exits with break_exit_code.

#include "cli/commands.h"
#include "workflows/train_breakpoints.h"
#include "workflows/training_run.h"

#include <memory>
#include <optional>
#include <ostream>

namespace nnscope::cli {

// The exit status of a run stopped at a breakpoint (0 done, 1 error, 2 usage).
inline constexpr int break_exit_code = 3;

inline constexpr Option break_on_option =
    value("break-on", "WHERE",
          "stop at a breakpoint, print where and exit with status 3 (repeatable): nonfinite "
          "(the first NaN or Inf, blamed on the module that made it), loss>X, forward:MODULE, "
          "backward:MODULE, step:N, epoch:N, or MODULE.HOOK.STAT>X / <X with HOOK forward, "
          "forward_pre, backward or grad (MODULE a parameter) and STAT mean, std, min, max, "
          "max_abs, zeros or nonfinite");

// Thrown out of the training step when a breakpoint matches.
struct BreakStopped : std::exception {
    const char* what() const noexcept override { return "stopped at a breakpoint"; }
};

class TrainBreaks {
public:
    // Reads every --break-on (a UsageError names a malformed one).
    explicit TrainBreaks(Args& args);
    ~TrainBreaks();

    bool active() const { return !checker_.breakpoints().empty(); }
    // Watches `run` (nothing when no --break-on was given), before any observer it already has.
    // A UsageError names a module or parameter the model does not have.
    void attach(workflows::TrainingRun& run);
    // The hit, after BreakStopped.
    const std::optional<workflows::BreakHit>& hit() const { return hit_; }
    // Prints the hit ("break: step 3: output of 3 (Linear) has ..." and where, or one JSON line)
    // and returns break_exit_code.
    int report(std::ostream& out, bool json) const;

private:
    class Observer;
    workflows::BreakpointChecker checker_;
    std::unique_ptr<Observer> observer_;
    std::optional<workflows::BreakHit> hit_;
};

} // namespace nnscope::cli
