#pragma once
// The GUI side of one interactive training run: the training workspace's hub. It owns the
// JobController (a worker thread of its own, since the training job blocks it while paused
// inside a hook), the TrainControl the commands travel through, and the GUI's copy of everything
// the views show: the run's modules, the workflows::TrainingHistory the progress is appended to,
// where the run is paused, the breakpoints and hook interventions, the selected module and the
// step range of the brush. Views are built with a TrainSession* and connect to its signals; they
// never talk to the worker themselves.

#include "session/train_job.h"
#include "workflows/hook_intervention.h"
#include "workflows/train_breakpoints.h"
#include "workflows/train_history.h"
#include "workflows/training_config.h"

#include <QObject>
#include <QString>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace nnscope::session {
class JobController;
}

namespace nnscope::ui {

class TrainSession : public QObject {
    Q_OBJECT
public:
    explicit TrainSession(QObject* parent = nullptr);
    ~TrainSession() override;

    // --- the run -------------------------------------------------------------------------------
    // Builds a new run from `config` (Reset is start() with the same config): the history and the
    // pause are cleared, breakpoints and interventions are kept and sent to the new run.
    void start(const workflows::TrainingConfig& config,
               workflows::RunCommand initial = workflows::RunCommand::Pause,
               std::optional<std::int64_t> pause_after_steps = std::nullopt);
    void command(workflows::RunCommand command);
    void setLearningRate(double lr);
    void saveCheckpoint(const session::CheckpointRequest& request);
    void requestTensors(const session::TensorsRequest& request);
    // Stops the worker promptly (the window closes); no signal follows.
    void shutdown();
    // Statistics for every step, not ~30 a second (the screenshot path and tests); applies to the
    // next start().
    void setObserveEveryStep(bool every) { observe_every_step_ = every; }
    // A run was started and has not ended (it may be paused).
    bool isActive() const;

    const workflows::TrainingConfig& config() const { return config_; }
    // Null until TrainStarted arrives.
    const session::TrainStarted* run() const { return run_ ? &*run_ : nullptr; }
    workflows::RunState state() const { return state_; }
    const workflows::TrainingHistory& history() const { return history_; }
    // The newest progress (step, lr, the batch, the overhead meter), null before the first.
    const session::TrainProgressPtr& latest() const { return latest_; }
    const std::optional<session::TrainPaused>& pausedAt() const { return paused_; }

    // --- breakpoints and hooks (kept across runs) ----------------------------------------------
    const std::vector<workflows::Breakpoint>& breakpoints() const { return breakpoints_; }
    void setBreakpoints(std::vector<workflows::Breakpoint> breakpoints);
    void addBreakpoint(const workflows::Breakpoint& breakpoint);
    const std::vector<workflows::HookIntervention>& interventions() const { return interventions_; }
    // Gives the intervention a fresh id (returned) and sends the set to the worker.
    std::uint64_t addIntervention(workflows::HookIntervention intervention);
    void removeIntervention(std::uint64_t id);

    // --- what the views share ------------------------------------------------------------------
    QString selectedModule() const { return selected_module_; }
    void selectModule(const QString& path);
    // The brush: the steps every over-steps plot shows (nullopt: all).
    std::optional<std::pair<std::int64_t, std::int64_t>> stepRange() const { return range_; }
    void setStepRange(std::optional<std::pair<std::int64_t, std::int64_t>> range);
    // The hook event the timeline has selected (its seq in the paused step), if any.
    std::optional<std::int64_t> selectedEvent() const { return selected_event_; }
    void selectEvent(std::optional<std::int64_t> seq);

signals:
    void started();                                                 // run() is the new run's
    void progressed(const nnscope::session::TrainProgress& latest); // history() appended
    void paused(const nnscope::session::TrainPaused& paused);
    void resumed();
    void tensorsArrived(const nnscope::session::TrainTensorsPtr& tensors);
    void finished(const nnscope::session::TrainFinished& finished);
    void failed(const nnscope::session::TrainFailed& failed);
    void checkpointSaved(const nnscope::session::CheckpointSaved& saved);
    void stateChanged(nnscope::workflows::RunState state);
    void breakpointsChanged();
    void interventionsChanged();
    void moduleSelected(const QString& path);
    void stepRangeChanged();
    void eventSelected();

private:
    std::unique_ptr<session::JobController> jobs_;
    std::shared_ptr<session::TrainControl> control_;
    workflows::TrainingConfig config_;
    std::optional<session::TrainStarted> run_;
    workflows::RunState state_ = workflows::RunState::Ready;
    workflows::TrainingHistory history_;
    session::TrainProgressPtr latest_;
    std::optional<session::TrainPaused> paused_;
    std::vector<workflows::Breakpoint> breakpoints_;
    std::vector<workflows::HookIntervention> interventions_;
    std::uint64_t next_intervention_ = 1;
    QString selected_module_;
    std::optional<std::pair<std::int64_t, std::int64_t>> range_;
    std::optional<std::int64_t> selected_event_;
    bool observe_every_step_ = false;
    bool shut_down_ = false;

    void connectJobs();
    void setState(workflows::RunState state);
    void onProgress(const session::TrainProgressPtr& progress);
};

} // namespace nnscope::ui
