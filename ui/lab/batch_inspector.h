#pragma once
// The lab's "Batches" tab: pick (epoch, batch) of the analysed loader and see what that batch
// holds as the model gets it: image data sets as a grid of the samples after the configured
// transforms with their labels, text (AG_NEWS) as the collated token ids shown as words, anything
// else as values. Samples drawn earlier in the epoch and a DistributedSampler's padding are marked.
// The batch is loaded by its own job (workflows/batch_samples.h: the configured loader run up to
// that batch, so random transforms draw what they draw there), only while the tab is visible.

#include "session/job_controller.h"
#include "session/loader_failed.h"
#include "ui/lab/lab_view.h"
#include "workflows/batch_samples.h"

class QLabel;
class QSpinBox;
class QStackedWidget;
class QTableView;

namespace nnscope::ui {

class BatchTokenModel;
class ImageTileGrid;

class BatchInspector : public LabView {
    Q_OBJECT
public:
    explicit BatchInspector(QWidget* parent = nullptr);
    ~BatchInspector() override;

    QString title() const override { return tr("Batches"); }
    void setConfiguration(const data::DataLoaderConfig& config) override;
    void setAnalysis(const workflows::LoaderAnalysisPtr& analysis) override;
    bool isBusy() const override { return busy_; }
    void shutdown() override;

    void setBatch(int epoch, int batch);
    int epoch() const;
    int batch() const;

    ImageTileGrid* grid() const { return grid_; }
    QTableView* table() const { return table_; }
    BatchTokenModel* tokenModel() const { return model_; }
    QString infoText() const;
    const workflows::BatchSamplesPtr& samples() const { return samples_; }

signals:
    void batchShown(); // a batch or an error is shown

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refresh();
    void showSamples(const workflows::BatchSamplesPtr& samples);
    void showError(const QString& text);
    void setBusy(bool busy);
    QString batchText() const;

    session::JobController jobs_;
    data::DataLoaderConfig config_;
    workflows::LoaderAnalysisPtr analysis_;
    workflows::BatchSamplesPtr samples_;
    bool dirty_ = false, busy_ = false;

    QSpinBox* epoch_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QLabel* info_ = nullptr;
    QStackedWidget* stack_ = nullptr;
    ImageTileGrid* grid_ = nullptr;
    QTableView* table_ = nullptr;
    BatchTokenModel* model_ = nullptr;
};

} // namespace nnscope::ui
