#pragma once
// The DataLoader lab page (skeleton of issue #12): configuration A edited as JSON, simulated on
// the lab's own worker after every edit (debounced; a hidden page waits until it is shown), the
// batches it draws in a table and a summary line. A JSON or configuration error is shown next to
// the editor and the previous results stay.
// The page owns its JobController with one kind, LoaderSimulationJob; it never builds a loader.

#include "session/job_controller.h"
#include "session/loader_simulation_job.h"
#include "ui/workspace.h"

#include <QTimer>

class QLabel;
class QPlainTextEdit;
class QSplitter;
class QTableView;

namespace nnscope::ui {

class LabBatchModel;

class LabPage : public Workspace {
    Q_OBJECT
public:
    // Wait this long after the last keystroke before simulating.
    static constexpr int kDebounceMs = 150;

    explicit LabPage(QWidget* parent = nullptr);
    ~LabPage() override;

    QString title() const override { return tr("DataLoader lab"); }
    void cancel() override;
    void saveState(QSettings& settings) const override;
    void restoreState(QSettings& settings) override;
    void shutdown() override;

    // The JSON the editor starts with: Fashion-MNIST when Debian's package is installed, else
    // range:100; batches of 8 or 16, shuffled by a seeded generator.
    static QString defaultConfiguration();

    // Replaces the editor's text (as typing would: the simulation follows after the debounce,
    // once the page is shown).
    void setConfigurationText(const QString& json);
    QString configurationText() const;
    // The error shown next to the editor, "" when the configuration is fine.
    QString errorText() const;
    QString summaryText() const;
    // Whether a simulation was asked for and its summary or failure has not arrived yet (a
    // pending debounce counts too).
    bool isSimulating() const;

    LabBatchModel* batchModel() const { return batch_model_; }
    QTableView* batchTable() const { return batch_table_; }
    QPlainTextEdit* editor() const { return editor_; }
    session::JobController& jobs() { return jobs_; }

signals:
    // The newest simulation finished (summary shown) or failed (error shown).
    void simulationFinished();
    void simulationFailed(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void buildLayout();
    void connectJobs();
    void simulate();
    void showError(const QString& message);
    void stopSimulation(); // cancels the running one, if any
    void notePartial();    // the summary says when the table holds a stopped run's batches

    session::JobController jobs_;
    LabBatchModel* batch_model_ = nullptr;
    QPlainTextEdit* editor_ = nullptr;
    QLabel* error_label_ = nullptr;
    QLabel* summary_label_ = nullptr;
    QTableView* batch_table_ = nullptr;
    QSplitter* splitter_ = nullptr;
    QTimer debounce_;
    bool due_ = false;     // edited since the last simulation (a hidden page waits until shown)
    bool waiting_ = false; // a requested simulation has not finished or failed yet
    bool partial_ = false; // the table holds a run that has not finished
};

} // namespace nnscope::ui
