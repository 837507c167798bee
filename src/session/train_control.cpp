#include "session/train_control.h"

#include <chrono>
#include <utility>

namespace nnscope::session {

namespace {

// A burst of clicks keeps its order, but never more than this many commands wait: the worker
// takes them at least every 50 ms, so a longer queue is a stuck worker, not a user.
constexpr std::size_t kMaxCommands = 16;

} // namespace

template <class Change> void TrainControl::update(Change change) {
    {
        std::lock_guard lock(mutex_);
        change(pending_);
        has_pending_ = true;
    }
    wake_.notify_all();
}

void TrainControl::command(workflows::RunCommand command) {
    update([&](Pending& p) {
        if (p.commands.size() == kMaxCommands) p.commands.erase(p.commands.begin());
        p.commands.push_back(command);
    });
}

void TrainControl::set_learning_rate(double lr) {
    update([&](Pending& p) { p.lr = lr; });
}

void TrainControl::set_breakpoints(std::vector<workflows::Breakpoint> breakpoints) {
    update([&](Pending& p) { p.breakpoints = std::move(breakpoints); });
}

void TrainControl::set_interventions(std::vector<workflows::HookIntervention> interventions) {
    update([&](Pending& p) { p.interventions = std::move(interventions); });
}

void TrainControl::request_tensors(TensorsRequest request) {
    update([&](Pending& p) { p.tensors = request; });
}

void TrainControl::request_checkpoint(CheckpointRequest request) {
    update([&](Pending& p) { p.checkpoint = std::move(request); });
}

void TrainControl::set_engine_threads(int threads) {
    update([&](Pending& p) { p.engine_threads = threads; });
}

void TrainControl::shut_down() {
    update([&](Pending& p) { p.shut_down = true; });
}

TrainControl::Pending TrainControl::take() {
    std::lock_guard lock(mutex_);
    Pending taken = std::exchange(pending_, Pending{});
    // Shutting down is for good: every later take says so too.
    pending_.shut_down = taken.shut_down;
    has_pending_ = taken.shut_down;
    return taken;
}

void TrainControl::wait(int timeout_ms) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [this] { return has_pending_; });
}

} // namespace nnscope::session
