#include "ui/lab/batch_inspector.h"

#include "session/batch_samples_job.h"
#include "ui/lab/batch_token_model.h"
#include "ui/lab/image_tile_grid.h"
#include "ui/lab/tensor_image.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTableView>

namespace nnscope::ui {

using workflows::BatchSamplesPtr;

namespace {
const QColor kRepeat(230, 140, 0), kPadding(200, 30, 30);
constexpr int kGridColumns = 8;
} // namespace

BatchInspector::BatchInspector(QWidget* parent)
    : LabView(parent)
    , jobs_(QStringLiteral("nnscope lab batches")) {
    jobs_.add<session::BatchSamplesJob>();
    jobs_.start();
    jobs_.on<session::BatchSamplesJob, BatchSamplesPtr>(this, [this](const BatchSamplesPtr& s) {
        showSamples(s);
        setBusy(false);
    });
    jobs_.on<session::BatchSamplesJob, session::LoaderFailed>(
        this, [this](const session::LoaderFailed& f) {
            showError(QString::fromStdString(f.message));
            setBusy(false);
        });

    epoch_ = new QSpinBox;
    epoch_->setPrefix(tr("epoch "));
    batch_ = new QSpinBox;
    batch_->setPrefix(tr("batch "));
    epoch_->setRange(0, 0);
    batch_->setRange(0, 0);
    info_ = new QLabel;
    info_->setWordWrap(true);
    grid_ = new ImageTileGrid;
    auto* scroll = new QScrollArea;
    scroll->setWidget(grid_);
    scroll->setWidgetResizable(true);
    model_ = new BatchTokenModel(this);
    table_ = new QTableView;
    table_->setModel(model_);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    stack_ = new QStackedWidget;
    stack_->addWidget(scroll);
    stack_->addWidget(table_);

    auto* controls = new QHBoxLayout;
    controls->addWidget(epoch_);
    controls->addWidget(batch_);
    controls->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(info_);
    layout->addWidget(stack_, 1);

    connect(epoch_, &QSpinBox::valueChanged, this, [this](int e) {
        if (analysis_ && e < static_cast<int>(analysis_->epochs.size()))
            batch_->setMaximum(std::max<int>(
                0, static_cast<int>(analysis_->epochs[std::size_t(e)].batch_sizes.size()) - 1));
        refresh();
    });
    connect(batch_, &QSpinBox::valueChanged, this, &BatchInspector::refresh);
}

BatchInspector::~BatchInspector() {
    jobs_.stop();
}

void BatchInspector::shutdown() {
    jobs_.stop();
}

void BatchInspector::setConfiguration(const data::DataLoaderConfig& config) {
    config_ = config; // the batch follows once the analysis of this configuration arrives
}

void BatchInspector::setAnalysis(const workflows::LoaderAnalysisPtr& analysis) {
    analysis_ = analysis;
    config_ = analysis->config;
    const QSignalBlocker a(epoch_), b(batch_);
    epoch_->setMaximum(std::max(0, static_cast<int>(analysis->epochs.size()) - 1));
    const int e = epoch_->value();
    batch_->setMaximum(
        e < static_cast<int>(analysis->epochs.size())
            ? std::max(0, static_cast<int>(analysis->epochs[std::size_t(e)].batch_sizes.size()) - 1)
            : 0);
    refresh();
}

void BatchInspector::setBatch(int epoch, int batch) {
    {
        const QSignalBlocker a(epoch_), b(batch_);
        epoch_->setValue(epoch);
        if (analysis_ && epoch_->value() < static_cast<int>(analysis_->epochs.size()))
            batch_->setMaximum(std::max(
                0, static_cast<int>(
                       analysis_->epochs[std::size_t(epoch_->value())].batch_sizes.size()) -
                       1));
        batch_->setValue(batch);
    }
    refresh();
}

int BatchInspector::epoch() const {
    return epoch_->value();
}
int BatchInspector::batch() const {
    return batch_->value();
}
QString BatchInspector::infoText() const {
    return info_->text();
}

void BatchInspector::showEvent(QShowEvent* event) {
    LabView::showEvent(event);
    if (dirty_) refresh();
}

void BatchInspector::refresh() {
    if (!analysis_) return;
    if (!isVisible()) {
        dirty_ = true;
        return;
    }
    dirty_ = false;
    if (analysis_->batches() == 0) {
        showError(tr("The loader draws no batch."));
        return;
    }
    setBusy(true);
    info_->setText(tr("Loading %1...").arg(batchText()));
    jobs_.request<session::BatchSamplesJob>({config_, epoch_->value(), batch_->value()});
}

QString BatchInspector::batchText() const {
    const int e = epoch_->value(), b = batch_->value();
    QString text = tr("Epoch %1, batch %2").arg(e).arg(b);
    if (analysis_ && e < static_cast<int>(analysis_->epochs.size())) {
        const auto& draw = analysis_->epochs[std::size_t(e)];
        text += tr(" of %1").arg(draw.batch_sizes.size());
        if (b < static_cast<int>(draw.worker.size()) && draw.worker[std::size_t(b)] >= 0)
            text += tr(", loaded by worker %1 (seed %2)")
                        .arg(draw.worker[std::size_t(b)])
                        .arg(static_cast<qint64>(draw.base_seed) + draw.worker[std::size_t(b)]);
        else
            text += tr(", loaded in the main process");
    }
    return text;
}

void BatchInspector::showSamples(const BatchSamplesPtr& s) {
    samples_ = s;
    const auto marks =
        analysis_ ? workflows::batch_marks(*analysis_, std::size_t(s->epoch), std::size_t(s->batch))
                  : std::vector<workflows::SampleMark>{};
    int repeats = 0, padding = 0;
    for (const auto& m : marks) {
        repeats += m.repeat && !m.padding;
        padding += m.padding;
    }
    QString text =
        batchText() + (s->size() == 1 ? tr(": 1 sample") : tr(": %1 samples").arg(s->size()));
    if (repeats) text += tr(", %1 drawn earlier in the epoch").arg(repeats);
    if (padding) text += tr(", %1 padding").arg(padding);
    if (!s->images.empty()) {
        std::vector<ImageTile> tiles;
        for (std::size_t k = 0; k < s->images.size(); ++k) {
            ImageTile tile;
            tile.image = tensor_image(s->images[k]);
            const auto l = s->labels[k];
            tile.lines << QStringLiteral("#%1").arg(s->indices[k])
                       << (l >= 0 && std::size_t(l) < s->class_names.size()
                               ? QString::fromStdString(s->class_names[std::size_t(l)])
                               : QString::number(l));
            if (k < marks.size() && marks[k].padding) {
                tile.mark = kPadding;
                tile.lines << tr("padding");
            } else if (k < marks.size() && marks[k].repeat) {
                tile.mark = kRepeat;
                tile.lines << tr("repeat");
            }
            tiles.push_back(std::move(tile));
        }
        grid_->setTiles(std::move(tiles), kGridColumns);
        stack_->setCurrentIndex(0);
        text += tr(". Images after the transforms, as the model gets them.");
    } else {
        model_->setSamples(s, marks);
        stack_->setCurrentIndex(1);
        if (s->collate == data::CollateChoice::Padding)
            text += tr(". ids int64 [%1, %2], padded (grey): the tokens as words.")
                        .arg(s->ids.size(0))
                        .arg(s->ids.size(1));
        else if (s->collate == data::CollateChoice::Offsets)
            text +=
                tr(". text int64 [%1] + offsets int64 [%2] (EmbeddingBag): the tokens as words.")
                    .arg(s->ids.size(0))
                    .arg(s->offsets.size(0));
    }
    info_->setText(text);
    emit batchShown();
}

void BatchInspector::showError(const QString& text) {
    info_->setText(text);
    emit batchShown();
}

void BatchInspector::setBusy(bool busy) {
    if (busy_ == busy) return;
    busy_ = busy;
    emit busyChanged(busy);
}

} // namespace nnscope::ui
