#pragma once
// The hook timeline of the current step: every hook firing in PyTorch's order with its module and
// shapes (HookTimelineModel over the session's pausedAt()), the event the run waits at in bold.
// Selecting one tells the session (selectEvent) and asks the worker for its tensors
// (requestTensors); the answer (tensorsArrived) is shown by the TensorInspector below, with the
// feature maps of a convolution's output for a chosen sample. While the selection is on the event
// the run waits at (or nothing), stepping hook event by hook event follows the new one. While
// running, the timeline says it fills when the run is paused or stepping.

#include "session/train_control.h"
#include "session/train_job.h"

#include <QWidget>
#include <cstdint>
#include <optional>

class QCheckBox;
class QLabel;
class QTableView;

namespace nnscope::ui {

class HookTimelineModel;
class TensorInspector;
class TrainSession;

class HookTimelineView : public QWidget {
    Q_OBJECT
public:
    explicit HookTimelineView(TrainSession* session, QWidget* parent = nullptr);

    // What the session's signals call; public so that tests can drive the view directly.
    void showPaused(const session::TrainPaused& paused);
    void showRunning();
    void showEnded(); // finished, stopped or failed: nothing more can be asked
    void clear();
    // The worker's answer; only the one to the last request is shown (an earlier sample's or
    // event's is stale).
    void showTensors(const session::TrainTensorsPtr& tensors);

    // Selects the row of event `seq` of the shown step (nothing when absent).
    void selectEvent(std::int64_t seq);
    std::optional<std::int64_t> selectedSeq() const;
    // The request the view sent last, if any.
    const std::optional<session::TensorsRequest>& lastRequest() const { return requested_; }

    HookTimelineModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    TensorInspector* inspector() const { return inspector_; }
    QCheckBox* pytorchLinesBox() const { return lines_; }
    QString statusText() const;

signals:
    // The view wants these tensors (also sent to the session when it has one).
    void tensorsRequested(const nnscope::session::TensorsRequest& request);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void onSelection();
    void request(); // the selected event's tensors, once per (step, seq, sample), when visible
    void setStatus();

    TrainSession* session_;
    HookTimelineModel* model_;
    QLabel* status_;
    QCheckBox* lines_;
    QTableView* table_;
    TensorInspector* inspector_;
    std::optional<session::TensorsRequest> requested_;
    enum class Run { Paused, Running, Ended };
    Run run_ = Run::Paused; // the worker answers requests only while paused
};

} // namespace nnscope::ui
