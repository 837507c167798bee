#pragma once
// The Compare page: two checkpoints side by side, or a folder of them as a sequence. The work runs
// on the page's own worker (session::DiffJob; newest request wins, Cancel stops it within a
// chunk); the page shows what comes back: a table of every tensor name, sortable by every column
// and by largest change first, with the rows that could not be compared marked; the histogram of
// b − a for the selected pair; for a folder, the selected tensor's statistics across the
// checkpoints as lines.

#include "session/diff_job.h"
#include "session/job_controller.h"
#include "ui/workspace.h"

class QAbstractItemModel;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSplitter;
class QStackedWidget;
class QTableView;

namespace nnscope::ui {

class CompareSeriesPlot;
class DiffSeriesModel;
class DiffTableModel;
class HistogramPlot;

class ComparePage : public Workspace {
    Q_OBJECT
public:
    explicit ComparePage(QWidget* parent = nullptr);
    ~ComparePage() override;

    QString title() const override { return tr("Compare"); }
    void cancel() override;
    void saveState(QSettings& settings) const override;
    void restoreState(QSettings& settings) override;
    void shutdown() override;

    // Compares checkpoint a with checkpoint b (the fields show them).
    void compare(const QString& a, const QString& b);
    // Reads every checkpoint in `dir` as a sequence.
    void compareFolder(const QString& dir);
    // Whether a comparison was asked for and has not finished, failed or been cancelled.
    bool isComparing() const { return waiting_; }

    DiffTableModel* diffModel() const { return diff_model_; }
    DiffSeriesModel* seriesModel() const { return series_model_; }
    QTableView* pairTable() const { return pair_table_; }
    QTableView* seriesTable() const { return series_table_; }
    HistogramPlot* histogram() const { return histogram_; }
    CompareSeriesPlot* seriesPlot() const { return series_plot_; }
    QString summaryText() const;
    QString fileA() const;
    QString fileB() const;
    session::JobController& jobs() { return jobs_; }

signals:
    void comparisonFinished();
    void comparisonFailed(const QString& message);

protected:
    // Shown with an empty A: A becomes the file the browser shows (compare it with…), unless that
    // is the bundled model.
    void showEvent(QShowEvent* event) override;

private:
    void buildLayout();
    QTableView* makeTable(QAbstractItemModel* source, int sortColumn);
    void connectJobs();
    void request(session::DiffRequest request);
    void browse(QLineEdit* field);
    void browseFolder();
    void compareFields();
    void showPair(const QModelIndex& proxyIndex);
    void showSeries(const QModelIndex& proxyIndex);
    void selectFirstRow(QTableView* table, const QString& name);

    session::JobController jobs_;
    session::DiffRequest last_;
    DiffTableModel* diff_model_ = nullptr;
    DiffSeriesModel* series_model_ = nullptr;
    QLineEdit* field_a_ = nullptr;
    QLineEdit* field_b_ = nullptr;
    QLabel* summary_ = nullptr;
    QStackedWidget* tables_ = nullptr;
    QStackedWidget* plots_ = nullptr;
    QTableView* pair_table_ = nullptr;
    QTableView* series_table_ = nullptr;
    HistogramPlot* histogram_ = nullptr;
    CompareSeriesPlot* series_plot_ = nullptr;
    QSplitter* splitter_ = nullptr;
    bool waiting_ = false;
};

} // namespace nnscope::ui
