#pragma once
// Job kind: an interactive training run (the training workspace). The request is a
// workflows::TrainingConfig and the TrainControl the window commands it through; the job builds
// the run (TrainStarted or TrainFailed), then trains in steps of one batch, one per event-loop
// turn, obeying the control's stepper: it waits between batches while paused, and inside a hook
// (blocking the worker thread, which is why it wants a JobController of its own) while paused at
// a hook event, serving tensor and checkpoint requests while it waits. Stop, a cancel, a newer
// request (Reset) or the controller's stop() end it promptly, also while paused inside backward:
// the hook throws and the step is abandoned.
//
// Streams: the worker computes statistics for at most ~30 steps a second (observe_interval_ms),
// and a JobStream sends one TrainProgressPtr per interval with every step's loss and the
// statistics of the observed steps since the last one; the window only appends them to its
// workflows::TrainingHistory. A pause sends TrainPaused (the timeline of the step so far, shapes
// only); inspecting an event sends TrainTensorsPtr; the end sends TrainFinished.

#include "session/job.h"
#include "session/job_stream.h"
#include "session/tensor_snapshot.h"
#include "session/train_control.h"
#include "workflows/hook_event.h"
#include "workflows/train_breakpoints.h"
#include "workflows/train_record.h"
#include "workflows/train_stepper.h"
#include "workflows/training_config.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::session {

struct TrainRequest {
    workflows::TrainingConfig config;
    std::shared_ptr<TrainControl> control;
    int observe_interval_ms = 33; // statistics at most this often while running
    // Observe every step (the screenshot path and tests: deterministic history).
    bool observe_every_step = false;
    // Pause by itself once this many steps are trained (`nnscope --train --steps N`).
    std::optional<std::int64_t> pause_after_steps;
    workflows::RunCommand initial = workflows::RunCommand::Pause; // Pause: wait in Ready
    // The engine threads of the training loop (its steps and evaluations, on the job's thread;
    // DataLoader workers always run on one): a count, or 0 for automatic, the process-wide
    // setting (parallel::configured_threads()) less `reserved_threads` and the busy workers
    // (workflows/training_threads.h), at least 1. A cap: it never raises the setting.
    // TrainControl::set_engine_threads changes it from the next step on.
    int engine_threads = 0;
    int reserved_threads = 0; // the window keeps 1 for its GUI thread
};

struct TrainModuleInfo {
    std::string path; // dotted ("" the root)
    std::string type;
    std::int64_t depth = 0;
    std::int64_t parameters = 0; // elements of its own parameters
    bool leaf = true;
};

struct TrainStarted {
    std::vector<TrainModuleInfo> modules; // named_modules() order
    std::vector<std::string> params;      // named_parameters() order
    std::int64_t batches_per_epoch = 0, epochs = 0, classes = 0;
    std::vector<std::string> class_names;
    std::string description; // the data set and its splits
    std::vector<std::string> warnings;
    double lr = 0;
    bool images = true;     // the inputs are images (batch previews, feature maps)
    int engine_threads = 1; // the threads the training loop's operations use
};

// The current batch as the window shows it: up to 64 images (ToTensor's [0, 1] floats, C x H x W
// each), their true and predicted labels.
struct TrainBatchView {
    std::int64_t step = 0;
    std::int64_t channels = 0, height = 0, width = 0;
    std::vector<float> pixels; // samples x C x H x W
    std::vector<std::int64_t> labels, predicted;
};

struct TrainProgress {
    std::vector<workflows::StepRecord> steps;       // every step since the last progress
    std::vector<workflows::EvalRecord> evaluations; // since the last progress
    workflows::RunState state = workflows::RunState::Running;
    std::int64_t step = 0, epoch = 0; // trained so far / under way
    double lr = 0;
    std::optional<TrainBatchView> batch; // the latest observed batch
    // The overhead meter: seconds spent training and in hooks and statistics, since the start.
    double train_seconds = 0, observe_seconds = 0;
    double steps_per_second = 0;
    int engine_threads = 1; // the threads the last step's operations used
};
using TrainProgressPtr = std::shared_ptr<const TrainProgress>;

struct TrainPaused {
    workflows::RunState state = workflows::RunState::Paused; // Paused or PausedAtEvent
    std::int64_t step = 0, epoch = 0;
    std::optional<workflows::HookEvent> event;  // where it waits (PausedAtEvent), shapes only
    std::vector<workflows::HookEvent> timeline; // the step's events so far, shapes only
    std::optional<workflows::BreakHit> hit;     // the breakpoint that stopped it, if any
};

struct TrainTensors {
    TensorsRequest request;
    workflows::HookEvent event;                  // shapes only
    std::vector<TensorSnapshot> inputs, outputs; // one per defined tensor (grad_input, ...)
    std::optional<TensorSnapshot> feature_maps;  // a conv output's maps of the chosen sample
    std::string error;                           // why there are none (the step moved on, ...)
};
using TrainTensorsPtr = std::shared_ptr<const TrainTensors>;

struct TrainFinished {
    workflows::RunState state = workflows::RunState::Finished; // Finished, Stopped or Failed
    std::int64_t steps = 0;
    std::string message; // "every epoch done", "the loss became NaN in epoch 1, batch 18", ...
};

struct TrainFailed {
    std::string field; // the configuration field at fault ("" when none)
    std::string message;
};

struct CheckpointSaved {
    CheckpointRequest request;
    std::int64_t step = 0;
    std::string error; // empty: saved
};

class TrainJob : public Job<TrainRequest, TrainStarted, TrainProgressPtr, TrainPaused,
                            TrainTensorsPtr, TrainFinished, TrainFailed, CheckpointSaved> {
public:
    TrainJob();
    ~TrainJob() override;
    Step begin(const TrainRequest& request, const JobRun& run) override;
    Step step(const JobRun& run) override;
    void abandon() override;

private:
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace nnscope::session
