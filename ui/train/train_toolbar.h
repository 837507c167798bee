#pragma once
// The training workspace's toolbar: Run, Pause, Step batch, Step hook event, Stop and Reset, the
// learning rate (applied while the run goes on), where the run is ("paused at 3 (Linear)
// backward, step 17"), the overhead meter, Save checkpoint and Open / Save configuration. The run
// commands go to the TrainSession; starting a run and the configuration files are the page's
// (it owns the form), so those are signals.

#include "session/train_job.h"
#include "workflows/train_stepper.h"

#include <QWidget>
#include <optional>

class QAction;
class QDoubleSpinBox;
class QLabel;
class QToolBar;

namespace nnscope::ui {

class OverheadMeter;
class TrainSession;

class TrainToolbar : public QWidget {
    Q_OBJECT
public:
    explicit TrainToolbar(TrainSession* session, QWidget* parent = nullptr);

    QAction* runAction() const { return run_; }
    QAction* pauseAction() const { return pause_; }
    QAction* stepBatchAction() const { return step_batch_; }
    QAction* stepEventAction() const { return step_event_; }
    QAction* stopAction() const { return stop_; }
    QAction* resetAction() const { return reset_; }
    QAction* saveCheckpointAction() const { return save_checkpoint_; }
    QAction* openConfigAction() const { return open_config_; }
    QAction* saveConfigAction() const { return save_config_; }
    QDoubleSpinBox* learningRate() const { return lr_; }
    QString stateText() const;
    OverheadMeter* overheadMeter() const { return meter_; }

    // Asks the session to save the run's weights: .pt as a torch.save zip, else native
    // .safetensors.
    void saveCheckpointTo(const QString& path);

signals:
    // A run command while no run is active: the page starts one from its form with it.
    void startRequested(nnscope::workflows::RunCommand initial);
    void resetRequested();
    void openConfigRequested();
    void saveConfigRequested();

private:
    void build();
    void send(workflows::RunCommand command);
    void updateActions();
    void updateStateText();
    void chooseCheckpoint();

    TrainSession* session_;
    QToolBar* bar_ = nullptr;
    QAction* run_ = nullptr;
    QAction* pause_ = nullptr;
    QAction* step_batch_ = nullptr;
    QAction* step_event_ = nullptr;
    QAction* stop_ = nullptr;
    QAction* reset_ = nullptr;
    QAction* save_checkpoint_ = nullptr;
    QAction* open_config_ = nullptr;
    QAction* save_config_ = nullptr;
    QDoubleSpinBox* lr_ = nullptr;
    QLabel* state_ = nullptr;
    OverheadMeter* meter_ = nullptr;
    bool filling_lr_ = false;
};

// What the state label says: "ready", "running, step 12", "paused at 3 (Linear) backward, step
// 17", "stopped at step 40: ..." (the pause's breakpoint message when one stopped it).
QString runStateText(workflows::RunState state, std::int64_t step,
                     const std::optional<session::TrainPaused>& paused);

} // namespace nnscope::ui
