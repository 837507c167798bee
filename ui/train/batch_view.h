#pragma once
// The current batch of a training run (session::TrainBatchView, sent with the progress) as image
// tiles with the true and the predicted label under each (the run's class names), wrong
// predictions in a red frame, and a line summing it up: "Step 17: 64 samples, 9 wrong (86%
// right)". "Only wrong" keeps the mistakes. It follows TrainSession::latest() and redraws only
// while visible, at most once per progress signal.

#include "session/train_job.h"

#include <QWidget>
#include <memory>
#include <string>
#include <vector>

class QCheckBox;
class QLabel;
class QScrollArea;

namespace nnscope::ui {

class ImageTileGrid;
class TrainSession;

class BatchView : public QWidget {
    Q_OBJECT
public:
    explicit BatchView(TrainSession* session, QWidget* parent = nullptr);

    // Shows `batch` at once (the session's signals call it through refresh()). A batch whose
    // sizes do not agree is refused with a message saying which.
    void showBatch(std::shared_ptr<const session::TrainBatchView> batch,
                   const std::vector<std::string>& class_names);
    void showBatch(const session::TrainBatchView& batch,
                   const std::vector<std::string>& class_names);
    void showMessage(const QString& text);

    ImageTileGrid* grid() const { return grid_; }
    QCheckBox* onlyWrongBox() const { return only_wrong_; }
    QString infoText() const;
    int wrongCount() const { return wrong_; }
    // The batch sample each tile shows (all, or only the wrong ones).
    const std::vector<int>& tileSamples() const { return tile_samples_; }

    int columns() const { return columns_; }

protected:
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void refresh(); // from the session's latest progress, when visible
    void rebuildTiles();
    int columnsThatFit() const;

    TrainSession* session_;
    QLabel* info_;
    QCheckBox* only_wrong_;
    ImageTileGrid* grid_;
    QScrollArea* scroll_;
    bool dirty_ = true; // built lazily, maybe after the run trained: look when first shown
    std::shared_ptr<const session::TrainBatchView> batch_; // shares the progress it came with
    std::vector<std::string> class_names_;
    std::vector<int> tile_samples_;
    int wrong_ = 0;
    int columns_ = 0; // of the tiles shown
    int stride_ = 0;  // from one tile's left to the next one's, once measured
};

} // namespace nnscope::ui
