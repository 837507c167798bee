#pragma once
// One configuration of the DataLoader lab: its form on top, its summary line, and a tab per lab
// view under them. Every valid edit is analysed on the column's own worker (typing after a
// pause of kDebounceMs, a choice at once; the newest request wins); the views get the
// configuration, then its analysis. A refused configuration shows its error next to the field
// and everything shown stays. A hidden column waits until it is shown.

#include "data/loader_config.h"
#include "session/job_controller.h"
#include "workflows/loader_analysis.h"

#include <QTimer>
#include <QWidget>
#include <functional>
#include <vector>

class QLabel;
class QTabWidget;

namespace nnscope::ui {

class ConfigForm;
class LabView;

class ConfigColumn : public QWidget {
    Q_OBJECT
public:
    static constexpr int kDebounceMs = 100;
    using ViewFactory = std::function<std::vector<LabView*>(QWidget* parent)>;

    // `views` makes the column's tabs (make_lab_views by default).
    explicit ConfigColumn(const QString& name, ViewFactory views = {}, QWidget* parent = nullptr);
    ~ConfigColumn() override;

    QString name() const;
    void setName(const QString& name);

    // Shows `config` in the form and analyses it (once the column is shown).
    void setConfiguration(const data::DataLoaderConfig& config);
    // The newest configuration that validated (what the views show or are about to).
    const data::DataLoaderConfig& configuration() const { return config_; }
    // The newest analysis shown; null before the first.
    const workflows::LoaderAnalysisPtr& analysis() const { return analysis_; }
    QString summaryText() const;
    QString errorText() const;

    // An edit or analysis not yet answered, or a busy view of the current tab.
    bool isBusy() const;
    void cancel();
    void shutdown();

    ConfigForm* form() const { return form_; }
    QTabWidget* tabs() const { return tabs_; }
    const std::vector<LabView*>& views() const { return views_; }

signals:
    void analysed();
    void failed(const QString& message);
    void busyChanged();

protected:
    void showEvent(QShowEvent* event) override;

private:
    void edited(bool typing);
    void apply();
    void request();
    void show(const workflows::LoaderAnalysisPtr& analysis);

    session::JobController jobs_;
    ConfigForm* form_ = nullptr;
    QLabel* name_ = nullptr;
    QLabel* summary_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    std::vector<LabView*> views_;
    QTimer debounce_;
    data::DataLoaderConfig config_;
    workflows::LoaderAnalysisPtr analysis_;
    bool due_ = false;     // a valid configuration waits for the column to be shown
    bool waiting_ = false; // an analysis was requested and has not arrived
};

// "LabelledRangeDataset, 1000 samples · 16 batches per epoch, the last of 40 · 0 dropped ·
// 2 duplicates · 0 never drawn".
QString describe_analysis(const workflows::LoaderAnalysis& analysis);

} // namespace nnscope::ui
