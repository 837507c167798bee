#include "workflows/train_stepper.h"

namespace nnscope::workflows {

const char* run_state_name(RunState state) {
    switch (state) {
    case RunState::Ready:
        return "ready";
    case RunState::Running:
        return "running";
    case RunState::Paused:
        return "paused";
    case RunState::PausedAtEvent:
        return "paused-at-event";
    case RunState::Finished:
        return "finished";
    case RunState::Stopped:
        return "stopped";
    case RunState::Failed:
        return "failed";
    }
    return "?";
}

const char* run_command_name(RunCommand command) {
    switch (command) {
    case RunCommand::Run:
        return "run";
    case RunCommand::Pause:
        return "pause";
    case RunCommand::StepBatch:
        return "step-batch";
    case RunCommand::StepEvent:
        return "step-event";
    case RunCommand::Stop:
        return "stop";
    }
    return "?";
}

bool Stepper::final() const {
    return state_ == RunState::Finished || state_ == RunState::Stopped ||
           state_ == RunState::Failed;
}

bool Stepper::command(RunCommand command) {
    if (final()) return false;
    if (command == RunCommand::Stop) {
        state_ = RunState::Stopped;
        goal_ = Goal::None;
        return true;
    }
    const Goal wanted = command == RunCommand::Run         ? Goal::None
                        : command == RunCommand::StepBatch ? Goal::Batch
                                                           : Goal::Event; // Pause, StepEvent
    if (state_ == RunState::Running) {
        if (goal_ == wanted) return false; // already heading there
        goal_ = wanted;
        return true;
    }
    // Ready, Paused, PausedAtEvent: Pause means nothing when nothing runs.
    if (command == RunCommand::Pause) return false;
    state_ = RunState::Running;
    goal_ = wanted;
    return true;
}

bool Stepper::pause(RunState paused) {
    state_ = paused;
    goal_ = Goal::None;
    return true; // what pause_at_event returns
}

bool Stepper::may_start_batch(bool breakpoint_hit) {
    if (state_ != RunState::Running) return false;
    if (breakpoint_hit && !held_for_batch_) {
        held_for_batch_ = true;
        pause(RunState::Paused);
        return false;
    }
    held_for_batch_ = false;
    return true;
}

bool Stepper::pause_at_event(bool breakpoint_hit) {
    if (state_ != RunState::Running) return false;
    if (breakpoint_hit || goal_ == Goal::Event) return pause(RunState::PausedAtEvent);
    return false;
}

bool Stepper::after_batch(bool breakpoint_hit) {
    if (state_ != RunState::Running) return false;
    if (!breakpoint_hit && goal_ == Goal::None) return true;
    pause(RunState::Paused);
    return false;
}

void Stepper::finished() {
    if (!final()) state_ = RunState::Finished;
}

void Stepper::failed() {
    if (!final()) state_ = RunState::Failed;
}

bool Stepper::may_leave_pause() const {
    return state_ == RunState::Running || final();
}

} // namespace nnscope::workflows
