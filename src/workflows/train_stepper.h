#pragma once
// The run / pause / step state machine of an interactive training run, without threads: the
// worker asks it before each batch and at each hook event whether to go on, and the commands of
// the window change it. session/train_control.h wraps it with a mutex and a condition variable.
//
// States: Ready (built, nothing trained), Running, Paused (between batches), PausedAtEvent
// (inside a step, at a hook event), Finished (every epoch done), Stopped, Failed. Stop, Finished
// and Failed are final; Reset makes a new run (a new request), not a transition here.

#include <cstdint>
#include <string>

namespace nnscope::workflows {

enum class RunState { Ready, Running, Paused, PausedAtEvent, Finished, Stopped, Failed };
enum class RunCommand {
    Run,       // go on until a breakpoint, the end or Pause
    Pause,     // stop at the next hook event (inside a step) or before the next batch
    StepBatch, // finish the step under way, or train the next one, then pause between batches
    StepEvent, // go to the next hook event and pause there
    Stop,      // end the run (a paused step is abandoned)
};
const char* run_state_name(RunState state);       // "ready", "running", "paused", ...
const char* run_command_name(RunCommand command); // "run", "pause", "step-batch", ...

class Stepper {
public:
    RunState state() const { return state_; }
    bool final() const;
    // Applies a command (one that means nothing in the state, e.g. Pause when paused, is
    // ignored and returns false).
    bool command(RunCommand command);

    // The worker, before training the next batch: true to train it, false to wait (paused).
    bool may_start_batch();
    // The worker, at a hook event (breakpoint_hit: a breakpoint matched there): true to pause.
    bool pause_at_event(bool breakpoint_hit);
    // The worker, a step done: false when it must now pause between batches.
    bool after_batch(bool breakpoint_hit);
    void finished(); // every epoch done
    void failed();   // the run threw

    // The worker waiting in PausedAtEvent / Paused asks whether it may go on.
    bool may_leave_pause() const;

private:
    RunState state_ = RunState::Ready;
    enum class Goal { None, Batch, Event } goal_ = Goal::None;
};

} // namespace nnscope::workflows
