#include "ui/lab/transform_grid_view.h"

#include "data/dataset_spec.h"
#include "session/transform_grid_job.h"
#include "ui/lab/image_tile_grid.h"
#include "ui/lab/tensor_image.h"
#include "ui/lab/transform_stage_dialog.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QSpinBox>
#include <limits>

namespace nnscope::ui {

using workflows::TransformGridPtr;

TransformGridView::TransformGridView(QWidget* parent)
    : LabView(parent)
    , jobs_(QStringLiteral("nnscope lab transforms")) {
    jobs_.add<session::TransformGridJob>();
    jobs_.start();
    jobs_.on<session::TransformGridJob, TransformGridPtr>(this, [this](const TransformGridPtr& g) {
        showGrid(g);
        setBusy(false);
    });
    jobs_.on<session::TransformGridJob, session::LoaderFailed>(
        this, [this](const session::LoaderFailed& f) {
            asked_.reset(); // the same request may succeed once the data is back
            showMessage(QString::fromStdString(f.message));
            setBusy(false);
        });

    samples_ = new QLineEdit(QStringLiteral("0-7"));
    samples_->setToolTip(tr("Sample indices of the data set: 0-7, 3, 10-12 (at most %1)")
                             .arg(workflows::kMaxGridSamples));
    k_ = new QSpinBox;
    k_->setRange(1, 8);
    k_->setValue(4);
    kind_ = new QComboBox;
    kind_->addItem(tr("seeds"));
    kind_->addItem(tr("epochs"));
    kind_->setToolTip(tr("seeds: torch.manual_seed(S), S+1, ... before the pipeline.\nepochs: the "
                         "seed worker 0 starts each epoch with (the loader's base seed)."));
    first_seed_ = new QSpinBox;
    first_seed_->setRange(0, std::numeric_limits<int>::max());
    first_seed_->setPrefix(tr("from "));
    message_ = new QLabel;
    message_->setWordWrap(true);
    grid_ = new ImageTileGrid;
    auto* scroll = new QScrollArea;
    scroll->setWidget(grid_);
    scroll->setWidgetResizable(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Samples")));
    controls->addWidget(samples_, 1);
    controls->addWidget(new QLabel(tr("by")));
    controls->addWidget(k_);
    controls->addWidget(kind_);
    controls->addWidget(first_seed_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(message_);
    layout->addWidget(scroll, 1);

    connect(samples_, &QLineEdit::textChanged, this, &TransformGridView::refresh);
    connect(k_, &QSpinBox::valueChanged, this, &TransformGridView::refresh);
    connect(first_seed_, &QSpinBox::valueChanged, this, &TransformGridView::refresh);
    connect(kind_, &QComboBox::currentIndexChanged, this, [this](int kind) {
        first_seed_->setVisible(kind == int(Columns::Seeds));
        refresh();
    });
    connect(grid_, &ImageTileGrid::tileClicked, this, [this](int tile) { openStages(tile); });
}

TransformGridView::~TransformGridView() {
    jobs_.stop();
}

void TransformGridView::shutdown() {
    jobs_.stop();
}

void TransformGridView::setConfiguration(const data::DataLoaderConfig& config) {
    config_ = config;
    configured_ = true;
    refresh();
}

void TransformGridView::setAnalysis(const workflows::LoaderAnalysisPtr& analysis) {
    analysis_ = analysis;
    if (kind_->currentIndex() == int(Columns::Epochs)) refresh();
}

void TransformGridView::setSamples(const QString& text) {
    samples_->setText(text);
}

void TransformGridView::setColumns(Columns kind, int k, std::uint64_t first_seed) {
    const QSignalBlocker a(k_), b(kind_), c(first_seed_);
    k_->setValue(k);
    kind_->setCurrentIndex(int(kind));
    first_seed_->setValue(static_cast<int>(first_seed));
    first_seed_->setVisible(kind == Columns::Seeds);
    refresh();
}

QString TransformGridView::messageText() const {
    return message_->text();
}

void TransformGridView::showEvent(QShowEvent* event) {
    LabView::showEvent(event);
    if (dirty_) refresh();
}

void TransformGridView::refresh() {
    if (!configured_) return;
    if (!isVisible()) {
        dirty_ = true;
        return;
    }
    dirty_ = false;
    const std::string kind = data::parse_dataset_spec(config_.dataset).kind;
    if (kind != "mnist" && kind != "fashion-mnist") {
        jobs_.cancel<session::TransformGridJob>();
        asked_.reset();
        setBusy(false);
        grid_->clear();
        result_.reset();
        showMessage(tr("Transforms apply to images only: %1 holds %2.")
                        .arg(QString::fromStdString(config_.dataset),
                             kind == "ag-news" ? tr("text") : tr("no images")));
        return;
    }
    workflows::TransformGridRequest request;
    request.dataset = config_.dataset;
    request.test_split = config_.test_split;
    request.transform = config_.transform;
    try {
        request.indices = workflows::parse_index_list(samples_->text().toStdString(),
                                                      std::numeric_limits<std::int64_t>::max());
    } catch (const std::invalid_argument& e) {
        asked_.reset();
        showMessage(tr("Samples: %1").arg(QString::fromStdString(e.what())));
        return;
    }
    const auto k = static_cast<std::size_t>(k_->value());
    if (kind_->currentIndex() == int(Columns::Epochs)) {
        if (!analysis_) {
            asked_.reset();
            showMessage(tr("Waiting for the loader's epochs..."));
            return;
        }
        request.seeds = workflows::epoch_seeds(*analysis_, k);
    } else {
        request.seeds =
            workflows::consecutive_seeds(static_cast<std::uint64_t>(first_seed_->value()), k);
    }
    // A change elsewhere in the configuration (batch size, sampler) changes no image.
    if (asked_ && *asked_ == request) return;
    asked_ = request;
    setBusy(true);
    jobs_.request<session::TransformGridJob>(std::move(request));
}

void TransformGridView::showGrid(const TransformGridPtr& grid) {
    result_ = grid;
    const bool epochs = kind_->currentIndex() == int(Columns::Epochs);
    std::vector<ImageTile> tiles;
    for (std::size_t i = 0; i < grid->cells.size(); ++i) {
        const auto& cell = grid->cells[i];
        const auto& p = cell.preview;
        const std::size_t column = i % grid->seeds.size();
        ImageTile tile;
        if (i < grid->seeds.size())
            tile.title = epochs ? tr("epoch %1, seed %2").arg(column).arg(cell.seed)
                                : tr("seed %1").arg(cell.seed);
        tile.image = tensor_image(p.after);
        tile.lines << QStringLiteral("#%1 %2")
                          .arg(cell.index)
                          .arg(p.class_name.empty() ? QString::number(p.label)
                                                    : QString::fromStdString(p.class_name));
        for (const auto& d : workflows::describe_drawn(p.drawn))
            tile.lines << QString::fromStdString(d);
        if (p.after.dim() < 2 || p.after.size(-1) != p.before.size(-1) ||
            p.after.size(-2) != p.before.size(-2))
            tile.lines << tr("size %1").arg(image_size_text(p.after));
        tiles.push_back(std::move(tile));
    }
    grid_->setTiles(std::move(tiles), static_cast<int>(grid->seeds.size()));
    showMessage(grid->cells.empty() ? tr("No columns: the loader has no epochs yet.")
                                    : tr("%1 samples by %2 %3; click an image for its stages.")
                                          .arg(grid->indices.size())
                                          .arg(grid->seeds.size())
                                          .arg(epochs ? tr("epochs") : tr("seeds")));
}

void TransformGridView::showMessage(const QString& text) {
    message_->setText(text);
    emit gridChanged();
}

void TransformGridView::setBusy(bool busy) {
    if (busy_ == busy) return;
    busy_ = busy;
    emit busyChanged(busy);
}

TransformStageDialog* TransformGridView::openStages(int tile) {
    if (!result_ || tile < 0 || tile >= static_cast<int>(result_->cells.size())) return nullptr;
    auto* dialog = new TransformStageDialog(result_, static_cast<std::size_t>(tile), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
    return dialog;
}

} // namespace nnscope::ui
