#pragma once
// TrainJob's insides (train_job.h), shared by its files: the run with its probe, breakpoints and
// stepper; the step observer that pauses inside a hook; the progress pile the stream takes from.
//   train_job.cpp        begin / step / abandon: one batch per call, waiting while paused
//   train_job_pause.cpp  the observer: hook events, pausing inside a step, serving the control
//   train_progress.cpp   the pile of step records and evaluations, the batch preview
//   train_tensors.cpp    snapshots of an event's tensors and a conv output's feature maps
//   train_checkpoint.cpp saving the model, native or as a PyTorch state_dict
//   train_started.cpp    what the window learns of a new run

#include "session/job_stream.h"
#include "session/train_job.h"
#include "workflows/train_probe.h"
#include "workflows/training_run.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::session {

constexpr int kPausedWaitMs = 50;     // a paused worker looks at the control this often
constexpr int kStreamIntervalMs = 33; // at most one TrainProgress per interval (~30 a second)

// Thrown from inside a hook when the run must end while a step is under way (Stop, a cancel, a
// newer request, the window closing): TrainingRun::step() is left without the optimizer step.
// Not a std::exception, so nothing on the way converts it into an error.
struct TrainAbandoned {};

// Every step's record and the evaluations since the last progress, and the meters.
class TrainProgressPile {
public:
    // A trained step's record and the wall time its TrainingRun::step() took.
    void add_step(const workflows::StepRecord& record, double busy_seconds);
    void add_evaluation(workflows::EvalRecord evaluation) {
        evaluations_.push_back(std::move(evaluation));
    }
    void set_batch(TrainBatchView batch) { batch_ = std::move(batch); }
    void set_engine_threads(int threads) { engine_threads_ = threads; }
    // What piled up since the last take, with the run's current state.
    TrainProgressPtr take(workflows::RunState state, std::int64_t step, std::int64_t epoch,
                          double lr);

private:
    std::vector<workflows::StepRecord> steps_;
    std::vector<workflows::EvalRecord> evaluations_;
    std::optional<TrainBatchView> batch_;
    double train_seconds_ = 0, observe_seconds_ = 0;
    double busy_seconds_ = 0, steps_per_second_ = 0;
    std::int64_t busy_steps_ = 0;
    int engine_threads_ = 1;
};

// The first (at most) 64 images of a batch with their labels and predictions (argmax of the
// logits); nothing for inputs that are not [B, C, H, W] images.
std::optional<TrainBatchView> make_batch_view(std::int64_t step, const workflows::ModelBatch& batch,
                                              const Tensor& logits);

// One event of the step as the window may inspect it: shapes always, detached copies of its
// tensors when captured.
workflows::HookEvent shapes_only(const workflows::HookEvent& event);
workflows::HookEvent detached_copy(const workflows::HookEvent& event);

// The snapshots of `event`'s tensors (it must hold them) and, for a [B, C, H, W] output, the
// feature maps of sample `request.sample` as a kernel grid [C, 1, H, W].
TrainTensors make_train_tensors(const TensorsRequest& request, const workflows::HookEvent& event,
                                const std::atomic<bool>* cancel);

// Saves the run's model now (also in the middle of a step: its parameters are the ones the step
// began with); the error message, if any, in the answer.
CheckpointSaved save_checkpoint(workflows::TrainingRun& run, const CheckpointRequest& request);

TrainStarted make_train_started(workflows::TrainingRun& run);

class TrainJob::State : public workflows::StepObserver {
public:
    State(const TrainRequest& request, const JobRun& job);
    ~State() override;

    // begin(): builds the run; false (TrainFailed sent) when it cannot.
    bool build();
    // step(): one batch, or a wait of at most 50 ms while paused. Done when the run ended.
    Step next();
    // The engine threads for the training loop now: the request's count (or the control's
    // newer one), or the automatic count (TrainRequest::engine_threads).
    int loop_threads() const;

    void step_begins(const workflows::StepContext& context) override;
    void loss_computed(const workflows::StepContext& context) override;
    void gradients_ready(const workflows::StepContext& context) override;
    void step_ends(const workflows::StepContext& context,
                   const workflows::BatchResult& result) override;

private:
    using Clock = std::chrono::steady_clock;

    template <class R> void send(R value) const {
        static_assert(TrainJob::produces<R>, "TrainJob does not declare that result type");
        job_.post(std::any(std::move(value)));
    }

    Step train_batch();
    void evaluate();
    Step end(workflows::RunState state, std::string message);
    void report_pause(std::optional<workflows::BreakHit> hit);
    bool should_observe() const;
    TrainProgressPtr take_progress();

    // train_job_pause.cpp
    void on_event(const workflows::HookEvent& event);
    // Waits inside the step until the stepper may go on, serving the control; throws
    // TrainAbandoned when the run must end. `event`: the live event it waits at (none: at the
    // loss).
    void pause_in_step(const workflows::HookEvent* event, std::optional<workflows::BreakHit> hit);
    // Applies what the window sent; true when the run must end (Stop, shut down, cancelled).
    bool serve(TrainControl::Pending pending, const workflows::HookEvent* live);
    void answer_tensors(const TensorsRequest& request, const workflows::HookEvent* live);
    bool capturing() const;

    TrainRequest request_;
    std::shared_ptr<TrainControl> control_;
    int engine_threads_ = 0; // TrainRequest::engine_threads, or the control's newer value
    JobRun job_;
    std::unique_ptr<workflows::TrainingRun> run_;
    std::unique_ptr<workflows::TrainProbe> probe_;
    workflows::BreakpointChecker checker_;
    workflows::Stepper stepper_;
    std::optional<std::vector<workflows::HookIntervention>> interventions_; // at the next step
    TrainProgressPile pile_;
    JobStream<TrainProgressPtr> stream_;

    bool in_step_ = false;
    bool stepping_ = false; // the last command steps (capture the step's tensors)
    std::optional<workflows::RunState> reported_; // the paused state the window was told of
    // What the window was told when pausing inside a step: sent again with the timeline grown by
    // the state_dict hooks a checkpoint saved while paused fired.
    std::optional<TrainPaused> paused_in_step_;
    std::vector<workflows::HookEvent> captured_; // this step's events with their tensors
    std::optional<Clock::time_point> last_observed_;
    bool observing_ = false;
};

} // namespace nnscope::session
