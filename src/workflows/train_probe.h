#pragma once
// Watches a training run through real hooks, as a PyTorch user would with register_*_hook: a
// forward hook and a full backward hook on each observed module (their statistics), tensor hooks
// on the parameters (gradient norms) and, on request, forward pre-hooks, full backward pre-hooks,
// legacy backward hooks, tensor hooks on module outputs and state_dict hooks for the timeline. It
// is a StepObserver of the TrainingRun. Modules not observed get no hook, so they cost nothing; a
// step not observed (`observe(false)`) runs its hooks as no-ops except for the event callback and
// the breakpoints' checks.

#include "engine/nn/module.h"
#include "workflows/hook_event.h"
#include "workflows/hook_intervention.h"
#include "workflows/train_record.h"
#include "workflows/training_run.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::workflows {

struct ProbeOptions {
    // Dotted paths of the modules to observe; empty: every module of named_modules(), the root
    // included.
    std::vector<std::string> modules;
    bool activations = true; // output statistics (forward hook)
    bool gradients = true;   // grad_output statistics (full backward hook)
    bool params = true;      // grad / weight / update norms
    int bins = 64;
    // Every hook firing goes to on_event (the timeline, stepping and breakpoints): forward
    // pre-hooks, forward hooks, full backward pre-hooks, full backward hooks and parameter
    // gradient hooks of the observed modules. Off: no event is made (the headless record).
    bool events = false;
    // Events keep detached copies of their tensors after the hook returns (the timeline's
    // inspection); off: shapes only.
    bool capture_tensors = false;
    // Also register PyTorch 1.13's legacy register_backward_hook on each observed module.
    bool legacy_backward_hooks = false;
    // With events: the forward hook also registers a tensor hook on the output it is given
    // (output.register_hook), an OutputGrad event when backward computes that gradient.
    bool output_grads = true;
    // With events: state_dict, load_state_dict pre- and post-hooks on each observed module, whose
    // events (StateDict, LoadStateDict*) go to the timeline, not to on_event: saving a checkpoint
    // while the run waits inside on_event must not wait again.
    bool state_dict_hooks = true;
};

class TrainProbe : public StepObserver {
public:
    // Registers the hooks on `model`; they are removed when the probe is destroyed.
    TrainProbe(nn::Module& model, ProbeOptions options);
    ~TrainProbe() override;

    // Called inside each hook with the live event (its tensors valid during the call). It may
    // throw to abandon the step (the exception leaves backward and TrainingRun::step()).
    std::function<void(const HookEvent&)> on_event;

    // Whether the coming steps compute statistics (the recorder: every K-th step; the window: at
    // most ~30 a second). Events are made either way when options.events is on.
    void observe(bool on) { observe_ = on; }
    bool observing() const { return observe_; }

    // The interventions in place, replacing the previous set (hooks removed and registered).
    void set_interventions(const std::vector<HookIntervention>& interventions);

    // The record of the last completed step (loss and lr always; statistics when observed).
    const StepRecord& last_record() const { return record_; }
    // The events of the step under way or last completed, in firing order (the timeline).
    const std::vector<HookEvent>& events() const { return events_; }

    void step_begins(const StepContext& context) override;
    void loss_computed(const StepContext& context) override;
    void gradients_ready(const StepContext& context) override;
    void step_ends(const StepContext& context, const BatchResult& result) override;

    // Set by the run owner each step before step_begins (the probe does not own the optimizer).
    void set_learning_rate(double lr) { lr_ = lr; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    bool observe_ = true;
    double lr_ = 0;
    StepRecord record_;
    std::vector<HookEvent> events_;
};

// Writes `nnscope-cli train --record`'s JSON lines (train_record.h) for a run: it makes a probe
// (the run's observer while the recorder lives) observing every `every`-th step (steps 0, K,
// 2K, ...), writes each observed step's record after it ends (the others are not written) and
// each evaluation as its own line.
class TrainRecorder {
public:
    TrainRecorder(TrainingRun& run, std::ostream& out, std::int64_t every = 1);
    ~TrainRecorder();
    void write(const EvalRecord& evaluation);
    void write(const Evaluation& evaluation); // as the evaluation after the run's steps so far
    TrainProbe& probe();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace nnscope::workflows
