#include "ui/train/batch_view.h"

#include "ui/lab/image_tile_grid.h"
#include "ui/lab/tensor_image.h"
#include "ui/train/train_session.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>
#include <algorithm>
#include <cstring>

namespace nnscope::ui {

namespace {

const QColor kWrong(200, 30, 30);
constexpr int kColumns = 8; // until the tiles' width is known

QString className(std::int64_t label, const std::vector<std::string>& names) {
    if (label >= 0 && static_cast<std::size_t>(label) < names.size())
        return QString::fromStdString(names[static_cast<std::size_t>(label)]);
    return QString::number(label);
}

// Why the batch cannot be drawn, or empty when its sizes agree.
QString malformed(const session::TrainBatchView& b) {
    const auto n = static_cast<std::int64_t>(b.labels.size());
    if (b.channels <= 0 || b.height <= 0 || b.width <= 0)
        return QObject::tr("its images are %1 x %2 x %3")
            .arg(b.channels)
            .arg(b.height)
            .arg(b.width);
    if (static_cast<std::int64_t>(b.pixels.size()) != n * b.channels * b.height * b.width)
        return QObject::tr("%1 pixel values for %2 images of %3 x %4 x %5")
            .arg(b.pixels.size())
            .arg(n)
            .arg(b.channels)
            .arg(b.height)
            .arg(b.width);
    if (!b.predicted.empty() && b.predicted.size() != b.labels.size())
        return QObject::tr("%1 predictions for %2 labels").arg(b.predicted.size()).arg(n);
    return {};
}

QImage sampleImage(const session::TrainBatchView& b, std::size_t k) {
    const auto size = static_cast<std::size_t>(b.channels * b.height * b.width);
    Tensor image = Tensor::empty({b.channels, b.height, b.width});
    std::memcpy(image.data_ptr<float>(), b.pixels.data() + k * size, size * sizeof(float));
    return tensor_image(image);
}

} // namespace

BatchView::BatchView(TrainSession* session, QWidget* parent)
    : QWidget(parent)
    , session_(session)
    , info_(new QLabel(this))
    , only_wrong_(new QCheckBox(tr("Only wrong"), this))
    , grid_(new ImageTileGrid)
    , scroll_(new QScrollArea(this)) {
    info_->setWordWrap(true);
    only_wrong_->setToolTip(tr("Show only the samples the model got wrong"));
    scroll_->setWidget(grid_);
    scroll_->setWidgetResizable(true);
    auto* top = new QHBoxLayout;
    top->addWidget(info_, 1);
    top->addWidget(only_wrong_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(scroll_, 1);
    connect(only_wrong_, &QCheckBox::toggled, this, &BatchView::rebuildTiles);
    showMessage(tr("The batch shows once the run has trained a step."));
    if (!session_) return;
    connect(session_, &TrainSession::started, this, [this] {
        batch_.reset();
        showMessage(tr("The batch shows once the run has trained a step."));
        refresh();
    });
    connect(session_, &TrainSession::progressed, this, &BatchView::refresh);
    connect(session_, &TrainSession::paused, this, &BatchView::refresh);
}

void BatchView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (dirty_) refresh();
}

void BatchView::refresh() {
    if (!session_) return;
    if (!isVisible()) {
        dirty_ = true;
        return;
    }
    dirty_ = false;
    const session::TrainProgressPtr& latest = session_->latest();
    if (!latest || !latest->batch) {
        const session::TrainStarted* run = session_->run();
        if (run && !run->images)
            showMessage(tr("This run's inputs are not images: the batch view shows image data."));
        return;
    }
    if (batch_ && batch_->step == latest->batch->step) return; // already shown
    const session::TrainStarted* run = session_->run();
    showBatch(std::shared_ptr<const session::TrainBatchView>(latest, &*latest->batch),
              run ? run->class_names : std::vector<std::string>{});
}

void BatchView::showBatch(const session::TrainBatchView& batch,
                          const std::vector<std::string>& class_names) {
    showBatch(std::make_shared<const session::TrainBatchView>(batch), class_names);
}

void BatchView::showBatch(std::shared_ptr<const session::TrainBatchView> batch,
                          const std::vector<std::string>& class_names) {
    if (const QString why = malformed(*batch); !why.isEmpty()) {
        batch_.reset();
        showMessage(tr("Step %1: the batch cannot be shown: %2.").arg(batch->step).arg(why));
        return;
    }
    batch_ = std::move(batch);
    class_names_ = class_names;
    rebuildTiles();
}

void BatchView::showMessage(const QString& text) {
    wrong_ = 0;
    tile_samples_.clear();
    grid_->clear();
    info_->setText(text);
}

void BatchView::rebuildTiles() {
    if (!batch_) return;
    const session::TrainBatchView& b = *batch_;
    const bool predicted = !b.predicted.empty();
    std::vector<ImageTile> tiles;
    tile_samples_.clear();
    wrong_ = 0;
    for (std::size_t k = 0; k < b.labels.size(); ++k) {
        const bool wrong = predicted && b.predicted[k] != b.labels[k];
        wrong_ += wrong;
        if (only_wrong_->isChecked() && !wrong) continue;
        ImageTile tile;
        tile.image = sampleImage(b, k);
        tile.lines << tr("true: %1").arg(className(b.labels[k], class_names_));
        if (predicted) tile.lines << tr("pred: %1").arg(className(b.predicted[k], class_names_));
        if (wrong) tile.mark = kWrong;
        tiles.push_back(std::move(tile));
        tile_samples_.push_back(static_cast<int>(k));
    }
    // As many columns as the width holds, measured from the tiles' own stride.
    if (tiles.size() > 1) {
        grid_->setTiles(tiles, 2);
        stride_ = grid_->imageRect(1).x() - grid_->imageRect(0).x();
    }
    columns_ = columnsThatFit();
    grid_->setTiles(std::move(tiles), columns_);
    const auto n = static_cast<int>(b.labels.size());
    QString text =
        n == 1 ? tr("Step %1: 1 sample").arg(b.step) : tr("Step %1: %2 samples").arg(b.step).arg(n);
    if (predicted && n > 0)
        text += tr(", %1 wrong (%2% right), in a red frame")
                    .arg(wrong_)
                    .arg(100.0 * (n - wrong_) / n, 0, 'f', 0);
    else
        text += tr(", not predicted yet");
    info_->setText(text + QLatin1Char('.'));
}

int BatchView::columnsThatFit() const {
    if (stride_ <= 0) return kColumns;
    return std::max(1, (scroll_->viewport()->width() - 6) / stride_);
}

void BatchView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    if (batch_ && columnsThatFit() != columns_) rebuildTiles();
}

QString BatchView::infoText() const {
    return info_->text();
}

} // namespace nnscope::ui
