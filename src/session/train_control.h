#pragma once
// The commands of an interactive training run, from the window to the worker that trains it. The
// worker may be blocked inside a hook (paused in backward), where the job board's requests cannot
// reach it, so commands travel through this object: a mutex, a condition variable and the latest
// value of each setting (newest wins; nothing queues, so nothing grows). The GUI thread calls the
// setters, which never block on training; the worker waits on it while paused, and serves tensor
// and save requests while it waits.

#include "workflows/hook_intervention.h"
#include "workflows/train_breakpoints.h"
#include "workflows/train_stepper.h"

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::session {

enum class CheckpointFormat { Native, Pytorch }; // .safetensors with metadata / torch.save zip

struct CheckpointRequest {
    std::string path;
    CheckpointFormat format = CheckpointFormat::Native;
};

// Which tensors of the paused step the window wants to inspect: the event `seq` of step `step`,
// and for a conv output the feature maps of batch sample `sample`.
struct TensorsRequest {
    std::int64_t step = 0, seq = 0;
    std::int64_t sample = 0;
};

class TrainControl {
public:
    // --- GUI thread ----------------------------------------------------------------------------
    void command(workflows::RunCommand command);
    void set_learning_rate(double lr);
    void set_breakpoints(std::vector<workflows::Breakpoint> breakpoints);
    void set_interventions(std::vector<workflows::HookIntervention> interventions);
    // The tensors of an event of the paused step (answered with a TrainTensorsPtr).
    void request_tensors(TensorsRequest request);
    void request_checkpoint(CheckpointRequest request);
    // The engine threads of the training loop from the next step on, as TrainRequest's
    // engine_threads (0: automatic).
    void set_engine_threads(int threads);
    // Wakes a waiting worker for good (the job is cancelled or the window closes).
    void shut_down();

    // --- worker thread -------------------------------------------------------------------------
    struct Pending {
        std::vector<workflows::RunCommand> commands; // in arrival order, at most a few
        std::optional<double> lr;
        std::optional<std::vector<workflows::Breakpoint>> breakpoints;
        std::optional<std::vector<workflows::HookIntervention>> interventions;
        std::optional<TensorsRequest> tensors;
        std::optional<CheckpointRequest> checkpoint;
        std::optional<int> engine_threads;
        bool shut_down = false;
    };
    // Takes what arrived since the last take (settings: the newest only).
    Pending take();
    // Waits until something arrives, shut_down() is called or `timeout_ms` passes.
    void wait(int timeout_ms);

private:
    // Changes the pending values under the lock and wakes the worker.
    template <class Change> void update(Change change);

    std::mutex mutex_;
    std::condition_variable wake_;
    Pending pending_;
    bool has_pending_ = false;
};

} // namespace nnscope::session
