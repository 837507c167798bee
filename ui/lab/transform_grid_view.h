#pragma once
// The lab's "Transforms" tab: chosen samples of the configuration's image data set (rows) by K
// seeds or K epochs (columns, workflows/transform_grid.h says what an epoch's column is), each
// cell the picture after the configured pipeline with the sample's label and what its random
// transforms drew; clicking a cell opens its stages side by side. Computed by its own job (the
// newest request wins) and only while the tab is visible. Text and integer data sets get a note
// that transforms apply to images only.

#include "session/job_controller.h"
#include "session/loader_failed.h"
#include "ui/lab/lab_view.h"
#include "workflows/transform_grid.h"

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace nnscope::ui {

class ImageTileGrid;
class TransformStageDialog;

class TransformGridView : public LabView {
    Q_OBJECT
public:
    enum class Columns { Seeds = 0, Epochs = 1 };

    explicit TransformGridView(QWidget* parent = nullptr);
    ~TransformGridView() override;

    QString title() const override { return tr("Transforms"); }
    void setConfiguration(const data::DataLoaderConfig& config) override;
    void setAnalysis(const workflows::LoaderAnalysisPtr& analysis) override;
    bool isBusy() const override { return busy_; }
    void shutdown() override;

    void setSamples(const QString& text); // "0-7"
    void setColumns(Columns kind, int k, std::uint64_t first_seed = 0);

    ImageTileGrid* grid() const { return grid_; }
    QLineEdit* samplesEdit() const { return samples_; }
    QString messageText() const;
    const workflows::TransformGridPtr& result() const { return result_; }
    // Opens (and returns) the large view of cell `tile`, as a click on it does.
    TransformStageDialog* openStages(int tile);

signals:
    void gridChanged(); // a new grid or message is shown

protected:
    void showEvent(QShowEvent* event) override;

private:
    void refresh();
    void showGrid(const workflows::TransformGridPtr& grid);
    void showMessage(const QString& text);
    void setBusy(bool busy);

    session::JobController jobs_;
    data::DataLoaderConfig config_;
    bool configured_ = false, dirty_ = false, busy_ = false;
    workflows::LoaderAnalysisPtr analysis_;
    workflows::TransformGridPtr result_;
    std::optional<workflows::TransformGridRequest> asked_; // the newest request sent

    QLineEdit* samples_ = nullptr;
    QSpinBox* k_ = nullptr;
    QComboBox* kind_ = nullptr;
    QSpinBox* first_seed_ = nullptr;
    QLabel* message_ = nullptr;
    ImageTileGrid* grid_ = nullptr;
};

} // namespace nnscope::ui
