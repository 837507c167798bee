#include "ui/train/train_session.h"

#include "session/job_controller.h"
#include "ui/engine_threads.h"

namespace nnscope::ui {

using session::TrainJob;
using workflows::RunCommand;
using workflows::RunState;

TrainSession::TrainSession(QObject* parent)
    : QObject(parent)
    , jobs_(std::make_unique<session::JobController>(QStringLiteral("nnscope training"))) {
    jobs_->add<TrainJob>();
    jobs_->start();
    connectJobs();
    // A new setting reaches the run under way from its next step.
    connect(&EngineThreads::instance(), &EngineThreads::changed, this, [this](int setting) {
        if (control_ && !shut_down_) control_->set_engine_threads(setting);
    });
}

TrainSession::~TrainSession() {
    shutdown();
}

void TrainSession::connectJobs() {
    jobs_->on<TrainJob, session::TrainStarted>(this, [this](const session::TrainStarted& s) {
        run_ = s;
        emit started();
    });
    jobs_->on<TrainJob, session::TrainProgressPtr>(
        this, [this](const session::TrainProgressPtr& p) { onProgress(p); });
    jobs_->on<TrainJob, session::TrainPaused>(this, [this](const session::TrainPaused& p) {
        paused_ = p;
        setState(p.state);
        emit paused(p);
    });
    jobs_->on<TrainJob, session::TrainTensorsPtr>(
        this, [this](const session::TrainTensorsPtr& t) { emit tensorsArrived(t); });
    jobs_->on<TrainJob, session::TrainFinished>(this, [this](const session::TrainFinished& f) {
        paused_.reset();
        setState(f.state);
        emit finished(f);
    });
    jobs_->on<TrainJob, session::TrainFailed>(this, [this](const session::TrainFailed& f) {
        paused_.reset();
        setState(RunState::Failed);
        emit failed(f);
    });
    jobs_->on<TrainJob, session::CheckpointSaved>(
        this, [this](const session::CheckpointSaved& c) { emit checkpointSaved(c); });
}

void TrainSession::onProgress(const session::TrainProgressPtr& progress) {
    if (!progress) return;
    latest_ = progress;
    for (const workflows::StepRecord& step : progress->steps)
        history_.append(step);
    for (const workflows::EvalRecord& evaluation : progress->evaluations)
        history_.append(evaluation);
    // A progress says how the run was when it left; a pause that arrived since stays.
    if (progress->state == RunState::Running && !paused_) setState(RunState::Running);
    emit progressed(*progress);
}

void TrainSession::setState(RunState state) {
    if (state == state_) return;
    state_ = state;
    emit stateChanged(state);
}

bool TrainSession::isActive() const {
    if (!control_) return false;
    switch (state_) {
    case RunState::Finished:
    case RunState::Stopped:
    case RunState::Failed:
        return false;
    default:
        return true;
    }
}

void TrainSession::start(const workflows::TrainingConfig& config, RunCommand initial,
                         std::optional<std::int64_t> pause_after_steps) {
    if (shut_down_) return;
    // The old run may wait inside a hook, where the cancel of a new request cannot reach it.
    if (control_) control_->shut_down();
    config_ = config;
    run_.reset();
    latest_.reset();
    paused_.reset();
    history_.clear();
    selected_event_.reset();
    range_.reset();
    control_ = std::make_shared<session::TrainControl>();
    control_->set_breakpoints(breakpoints_);
    control_->set_interventions(interventions_);
    session::TrainRequest request;
    request.config = config;
    request.control = control_;
    request.observe_every_step = observe_every_step_;
    request.pause_after_steps = pause_after_steps;
    request.initial = initial;
    // Automatic keeps a core for the GUI thread while the window trains.
    request.engine_threads = EngineThreads::instance().setting();
    request.reserved_threads = 1;
    jobs_->request<TrainJob>(std::move(request));
    // Ready until the worker says otherwise; the views forget the old run now.
    state_ = RunState::Ready;
    emit stateChanged(state_);
    emit stepRangeChanged();
    emit eventSelected();
}

void TrainSession::command(RunCommand command) {
    if (!control_ || shut_down_) return;
    control_->command(command);
    const bool goes_on = command == RunCommand::Run || command == RunCommand::StepBatch ||
                         command == RunCommand::StepEvent;
    if (goes_on && paused_) {
        paused_.reset();
        setState(RunState::Running);
        emit resumed();
    } else if (goes_on && state_ == RunState::Ready) {
        setState(RunState::Running);
    }
}

void TrainSession::setLearningRate(double lr) {
    if (control_) control_->set_learning_rate(lr);
}

void TrainSession::saveCheckpoint(const session::CheckpointRequest& request) {
    if (control_) control_->request_checkpoint(request);
}

void TrainSession::requestTensors(const session::TensorsRequest& request) {
    if (control_) control_->request_tensors(request);
}

void TrainSession::shutdown() {
    if (shut_down_) return;
    shut_down_ = true;
    if (control_) control_->shut_down(); // wakes a worker paused inside a hook
    jobs_->stop();
}

// --- breakpoints and hooks ----------------------------------------------------------------------

void TrainSession::setBreakpoints(std::vector<workflows::Breakpoint> breakpoints) {
    breakpoints_ = std::move(breakpoints);
    if (control_) control_->set_breakpoints(breakpoints_);
    emit breakpointsChanged();
}

void TrainSession::addBreakpoint(const workflows::Breakpoint& breakpoint) {
    std::vector<workflows::Breakpoint> all = breakpoints_;
    all.push_back(breakpoint);
    setBreakpoints(std::move(all));
}

std::uint64_t TrainSession::addIntervention(workflows::HookIntervention intervention) {
    intervention.id = next_intervention_++;
    interventions_.push_back(intervention);
    if (control_) control_->set_interventions(interventions_);
    emit interventionsChanged();
    return intervention.id;
}

void TrainSession::removeIntervention(std::uint64_t id) {
    const auto n = std::erase_if(interventions_, [id](const auto& i) { return i.id == id; });
    if (n == 0) return;
    if (control_) control_->set_interventions(interventions_);
    emit interventionsChanged();
}

// --- what the views share -----------------------------------------------------------------------

void TrainSession::selectModule(const QString& path) {
    // "" is the root; a null QString (nothing selected) compares equal to it in Qt.
    if (path == selected_module_ && path.isNull() == selected_module_.isNull()) return;
    selected_module_ = path;
    emit moduleSelected(path);
}

void TrainSession::setStepRange(std::optional<std::pair<std::int64_t, std::int64_t>> range) {
    if (range && range->first > range->second) std::swap(range->first, range->second);
    if (range == range_) return;
    range_ = range;
    emit stepRangeChanged();
}

void TrainSession::selectEvent(std::optional<std::int64_t> seq) {
    if (seq == selected_event_) return;
    selected_event_ = seq;
    emit eventSelected();
}

} // namespace nnscope::ui
