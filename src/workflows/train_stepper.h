#pragma once
// The run / pause / step state machine of an interactive training run, without threads: the
// worker asks it before each batch and at each hook event whether to go on, and the commands of
// the window change it. session/train_control.h wraps it with a mutex and a condition variable.
//
// States: Ready (built, nothing trained), Running, Paused (between batches), PausedAtEvent
// (inside a step, at a hook event), Finished (every epoch done), Stopped, Failed. Stop, Finished
// and Failed are final; Reset makes a new run (a new request), not a transition here.
//
// What each command does in each state (anything not listed is ignored and returns false):
//   Ready          Run -> Running; StepBatch -> Running until one batch is trained; StepEvent ->
//                  Running until the first hook event; Stop -> Stopped.
//   Running        Run: clears a pending step or pause (accepted only when one is pending).
//                  Pause: pauses at the next hook event of the step under way, or, when no
//                  events are made or the step has none left, between batches after it (a step
//                  is never cut short by Pause alone: the window then shows where it stopped).
//                  StepBatch: pauses between batches once the step under way is done.
//                  StepEvent: as Pause. Stop -> Stopped.
//   Paused         Run -> Running; StepBatch -> Running for one batch; StepEvent -> Running
//                  until the next hook event (or, without events, for one batch); Stop.
//   PausedAtEvent  Run -> Running; StepBatch -> Running to the end of the step under way, then
//                  Paused; StepEvent -> Running to the next event (or, after the step's last
//                  event, Paused between batches); Stop -> Stopped (the step is abandoned).
//   final states   every command is ignored.
// A breakpoint hit pauses whatever the goal (at the event, or between batches).

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
    // breakpoint_hit: a Step or Epoch breakpoint matched this batch; the stepper pauses once for
    // it (Running -> Paused), and the same batch asked again after Run is let through.
    bool may_start_batch(bool breakpoint_hit = false);
    // The worker, at a hook event (breakpoint_hit: a breakpoint matched there): true to pause.
    bool pause_at_event(bool breakpoint_hit);
    // The worker, a step done: false when it must now pause between batches.
    bool after_batch(bool breakpoint_hit);
    void finished(); // every epoch done
    void failed();   // the run threw

    // The worker waiting in PausedAtEvent / Paused asks whether it may go on (Running, or a
    // final state, where it abandons the step).
    bool may_leave_pause() const;

private:
    bool pause(RunState paused);

    RunState state_ = RunState::Ready;
    enum class Goal { None, Batch, Event } goal_ = Goal::None;
    bool held_for_batch_ = false; // paused by a breakpoint before the coming batch
};

} // namespace nnscope::workflows
