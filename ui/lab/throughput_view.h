#pragma once
// The lab's "Speed" tab: how fast this configuration's DataLoader delivers real batches here
// (its transforms, its collate function, its workers). "Measure" times the configuration as it
// is; "Sweep num_workers 0..4" times it with each worker count in turn, the points appearing as
// they complete. Nothing is measured by itself: a changed configuration makes the shown numbers
// stale, and the view says so. The measurement runs on the view's own worker thread
// (ThroughputJob on a JobController of its own), so nothing else is timed with it.

#include "session/job_controller.h"
#include "ui/lab/lab_view.h"
#include "workflows/loader_throughput.h"

#include <optional>
#include <vector>

class QLabel;
class QPushButton;
class QToolButton;

namespace nnscope::session {
struct ThroughputStarted;
struct ThroughputFinished;
struct LoaderFailed;
} // namespace nnscope::session

namespace nnscope::ui {

class ThroughputPlots;

class ThroughputView : public LabView {
    Q_OBJECT
public:
    explicit ThroughputView(QWidget* parent = nullptr);
    ~ThroughputView() override;

    QString title() const override { return tr("Speed"); }
    void setConfiguration(const data::DataLoaderConfig& config) override;
    bool isBusy() const override { return busy_; }
    void shutdown() override;

    // What the buttons do.
    void measure();
    void sweep();
    void stop();

    // How long each point loads (default: 2 s or 2000 batches).
    void setBudget(const workflows::ThroughputBudget& budget) { budget_ = budget; }
    const std::vector<workflows::ThroughputPoint>& points() const { return points_; }
    // Whether the points shown were measured on another configuration than the current one.
    bool isStale() const;
    QString statusText() const;
    QString machineText() const;
    QString verdictText() const;
    ThroughputPlots* plots() const { return plots_; }

    // The throughput plot as PNG or PDF (by the path's suffix), the points as CSV; both throw
    // std::runtime_error naming the file when it cannot be written, or when nothing is measured.
    void exportPlot(const QString& path);
    void exportCsv(const QString& path);

private:
    void start(bool sweep);
    void setBusy(bool busy);
    void onStarted(const session::ThroughputStarted& started);
    void onPoint(const workflows::ThroughputPoint& point);
    void onFinished(const session::ThroughputFinished& finished);
    void onFailed(const session::LoaderFailed& failure);
    void updateButtons();
    void showStale();
    static QString pointText(const workflows::ThroughputPoint& point);
    void buildExportMenu();
    QString exportTitle() const;
    void exportWithDialog(const QString& suffix);

    session::JobController jobs_;
    std::optional<data::DataLoaderConfig> config_;   // the current one
    std::optional<data::DataLoaderConfig> measured_; // what the points were measured on
    bool measured_sweep_ = false;
    workflows::ThroughputBudget budget_;
    workflows::MachineLoad machine_;
    std::vector<workflows::ThroughputPoint> points_;
    std::vector<int> planned_; // the worker counts of the running request
    QString result_text_;      // what the status says of the last run once it is over
    bool busy_ = false;
    bool shut_down_ = false;

    QPushButton* measure_button_;
    QPushButton* sweep_button_;
    QPushButton* stop_button_;
    QToolButton* export_button_;
    QLabel* status_;
    QLabel* machine_label_;
    QLabel* verdict_;
    ThroughputPlots* plots_;
};

} // namespace nnscope::ui
