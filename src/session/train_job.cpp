#include "session/train_job.h"

#include "engine/parallel.h"
#include "session/loader_failed.h"
#include "session/train_job_state.h"
#include "workflows/training_threads.h"

#include <algorithm>
#include <utility>

namespace nnscope::session {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

TrainJob::TrainJob() = default;
TrainJob::~TrainJob() = default;

Step TrainJob::begin(const TrainRequest& request, const JobRun& run) {
    state_.reset(); // the previous run's hooks go with it
    state_ = std::make_unique<State>(request, run);
    // Building the run computes too (the model's initialisation); it shares the loop's cap.
    const parallel::ThreadCap cap(state_->loop_threads());
    if (!state_->build()) {
        state_.reset();
        return Step::Done;
    }
    return Step::Continue;
}

Step TrainJob::step(const JobRun& run) {
    if (!state_) return Step::Done;
    if (run.cancelled()) {
        abandon();
        return Step::Done;
    }
    const Step next = state_->next();
    if (next == Step::Done) state_.reset();
    return next;
}

void TrainJob::abandon() {
    state_.reset();
}

TrainJob::State::State(const TrainRequest& request, const JobRun& job)
    : request_(request)
    , control_(request.control ? request.control : std::make_shared<TrainControl>())
    , engine_threads_(request.engine_threads)
    , job_(job)
    , stream_(kStreamIntervalMs, [this] { return take_progress(); }) {
    stream_.start(job);
}

TrainJob::State::~State() {
    stream_.discard();
    if (run_) run_->set_observer(nullptr);
}

int TrainJob::State::loop_threads() const {
    if (engine_threads_ > 0) return engine_threads_;
    // Automatic, read at every step so that it follows the process-wide setting.
    return workflows::automatic_training_threads(parallel::configured_threads(),
                                                 workflows::busy_workers(request_.config),
                                                 request_.reserved_threads);
}

bool TrainJob::State::build() {
    try {
        run_ = std::make_unique<workflows::TrainingRun>(request_.config);
        workflows::ProbeOptions options;
        options.events = true;
        probe_ = std::make_unique<workflows::TrainProbe>(run_->model(), options);
    } catch (...) {
        LoaderFailed failure = current_loader_failure();
        send(TrainFailed{std::move(failure.field), std::move(failure.message)});
        return false;
    }
    probe_->on_event = [this](const workflows::HookEvent& event) { on_event(event); };
    run_->set_observer(this);
    run_->cancelled = [job = job_] { return job.cancelled(); };
    // Every evaluation, the run's own (eval_every) and the one after each epoch.
    run_->on_evaluation = [this](const workflows::Evaluation& e) {
        if (e.complete)
            pile_.add_evaluation(workflows::eval_record(e, run_->global_step(), run_->epoch()));
    };
    TrainStarted started = make_train_started(*run_);
    started.engine_threads = parallel::threads_in_use();
    send(std::move(started));
    // What the window sent before the run was built (breakpoints, interventions, commands).
    if (serve(control_->take(), nullptr)) {
        end(workflows::RunState::Stopped, "stopped before the first step");
        return false;
    }
    if (request_.initial != workflows::RunCommand::Pause) {
        stepper_.command(request_.initial);
        stepping_ = request_.initial != workflows::RunCommand::Run;
    }
    return true;
}

Step TrainJob::State::next() {
    if (serve(control_->take(), nullptr) || stepper_.final())
        return end(workflows::RunState::Stopped,
                   "stopped after " + std::to_string(run_->global_step()) + " steps");
    // Step and Epoch breakpoints hold the coming batch once (the stepper lets it through after).
    // Its batch in the epoch is counted here: the run's batch_in_epoch() still says the last
    // epoch's count until the next epoch's first batch.
    const std::int64_t step = run_->global_step();
    std::optional<workflows::BreakHit> hit = checker_.before_step(
        step, run_->epoch(), step % std::max<std::int64_t>(1, run_->batches_per_epoch()));
    const bool running = stepper_.state() == workflows::RunState::Running;
    if (!stepper_.may_start_batch(hit.has_value())) {
        report_pause(running ? std::move(hit) : std::nullopt); // the hit paused it just now
        control_->wait(kPausedWaitMs);
        return Step::Continue;
    }
    reported_.reset();
    return train_batch();
}

bool TrainJob::State::should_observe() const {
    if (request_.observe_every_step || !last_observed_) return true;
    return Clock::now() - *last_observed_ >=
           std::chrono::milliseconds(request_.observe_interval_ms);
}

Step TrainJob::State::train_batch() {
    // The loop's threads for this batch and the evaluation after it, taken after serve() so
    // that a new setting sent with a command applies to the step that command starts.
    const parallel::ThreadCap cap(loop_threads());
    if (interventions_) probe_->set_interventions(*std::exchange(interventions_, std::nullopt));
    observing_ = should_observe();
    if (observing_) last_observed_ = Clock::now();
    probe_->observe(observing_);
    probe_->set_learning_rate(run_->learning_rate());
    pile_.set_engine_threads(parallel::threads_in_use());
    const std::int64_t epoch = run_->epoch();
    const auto start = Clock::now();
    std::optional<workflows::BatchResult> result;
    try {
        result = run_->step();
    } catch (const TrainAbandoned&) {
        in_step_ = false;
        if (job_.cancelled()) return Step::Done; // nothing leaves for a cancelled job
        return end(workflows::RunState::Stopped, "stopped in step " +
                                                     std::to_string(run_->global_step()) +
                                                     "; that step was abandoned");
    } catch (const workflows::LossNotFinite& e) { // its record goes out: the loss is the news
        pile_.add_step(probe_->last_record(), seconds_since(start));
        return end(workflows::RunState::Failed, e.what());
    } catch (const std::exception& e) { // a sample that cannot be read, ...
        in_step_ = false;
        return end(workflows::RunState::Failed, e.what());
    }
    if (!result) return end(workflows::RunState::Finished, "every epoch done");
    pile_.add_step(probe_->last_record(), seconds_since(start));
    const std::int64_t step = run_->global_step();
    // The run evaluated by itself every eval_every steps; the window wants one after each epoch.
    const std::int64_t every = request_.config.eval_every;
    if (run_->epoch() != epoch && !(every > 0 && step % every == 0)) {
        try {
            evaluate();
        } catch (const std::exception& e) {
            return end(workflows::RunState::Failed,
                       std::string("the evaluation of the test split failed: ") + e.what());
        }
    }
    if (job_.cancelled()) return Step::Done;
    stream_.offer();
    if (run_->finished()) return end(workflows::RunState::Finished, "every epoch done");
    const bool enough = request_.pause_after_steps && step == *request_.pause_after_steps;
    if (!stepper_.after_batch(enough)) report_pause(std::nullopt);
    return Step::Continue;
}

void TrainJob::State::evaluate() {
    probe_->observe(false); // the evaluation's forward passes are not the step's
    run_->evaluate();
}

void TrainJob::State::report_pause(std::optional<workflows::BreakHit> hit) {
    const workflows::RunState state = stepper_.state();
    if (reported_ == state || state != workflows::RunState::Paused) return; // Ready: no news
    reported_ = state;
    stream_.flush();
    TrainPaused paused;
    paused.state = state;
    paused.step = run_->global_step();
    paused.epoch = run_->epoch();
    paused.hit = std::move(hit);
    send(std::move(paused));
}

Step TrainJob::State::end(workflows::RunState state, std::string message) {
    if (state == workflows::RunState::Finished)
        stepper_.finished();
    else if (state == workflows::RunState::Failed)
        stepper_.failed();
    else
        stepper_.command(workflows::RunCommand::Stop);
    stream_.offer();
    stream_.flush();
    send(TrainFinished{state, run_ ? run_->global_step() : 0, std::move(message)});
    return Step::Done;
}

TrainProgressPtr TrainJob::State::take_progress() {
    return pile_.take(stepper_.state(), run_->global_step(), run_->epoch(), run_->learning_rate());
}

} // namespace nnscope::session
