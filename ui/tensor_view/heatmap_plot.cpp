#include "ui/tensor_view/heatmap_plot.h"

#include "ui/tensor_view/placeholder_stack.h"
#include "ui/tensor_view/plot_style.h"
#include "ui/tensor_view/tensor_text.h"

#include <QLabel>
#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

// Cells are centred on their real index; a size-1 axis gets a unit-wide range because QCustomPlot
// draws a one-cell axis with zero extent otherwise.
QCPRange cellRange(std::int64_t start, std::int64_t count, std::int64_t step) {
    if (count <= 1) return QCPRange(double(start) - 0.5, double(start) + 0.5);
    return QCPRange(double(start), double(start + (count - 1) * step));
}

// The colour map shows the matrix; +-Inf clamp to the ends of the scale because QCustomPlot turns
// an infinite cell into an integer colour index, which wraps (the hover text still says inf).
void fill(QCPColorMap& map, const session::Slice2D& s, const QCPRange& range) {
    auto* data = map.data();
    data->setSize(int(s.cols), int(s.rows));
    data->setRange(cellRange(s.col0, s.cols, s.col_step), cellRange(s.row0, s.rows, s.row_step));
    for (std::int64_t r = 0; r < s.rows; ++r) {
        const double* line = s.values.data() + r * s.cols;
        for (std::int64_t c = 0; c < s.cols; ++c) {
            double v = line[c];
            if (std::isinf(v)) v = v > 0 ? range.upper : range.lower;
            data->setCell(int(c), int(r), v);
        }
    }
}

// The cell of `s` nearest to plot coordinates (key = column, value = row), if inside it.
std::optional<std::pair<std::int64_t, std::int64_t>> nearestCell(const session::Slice2D& s,
                                                                 double key, double value) {
    if (s.values.empty()) return std::nullopt;
    const auto c = std::int64_t(std::floor((key - double(s.col0)) / double(s.col_step) + 0.5));
    const auto r = std::int64_t(std::floor((value - double(s.row0)) / double(s.row_step) + 0.5));
    if (c < 0 || c >= s.cols || r < 0 || r >= s.rows) return std::nullopt;
    return std::pair{r, c};
}

QString indexText(const std::vector<std::int64_t>& leading, std::size_t rank, std::int64_t row,
                  std::int64_t col) {
    QStringList parts;
    for (std::int64_t i : leading)
        parts << QString::number(i);
    if (rank >= 2) parts << QString::number(row);
    if (rank >= 1) parts << QString::number(col);
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

std::pair<std::int64_t, std::int64_t> axisWindow(const QCPRange& range, std::int64_t extent) {
    const std::int64_t last = std::max<std::int64_t>(extent - 1, 0);
    const auto lo = std::clamp<std::int64_t>(std::int64_t(std::floor(range.lower + 0.5)), 0, last);
    const auto hi = std::clamp<std::int64_t>(std::int64_t(std::ceil(range.upper - 0.5)), lo, last);
    return {lo, hi - lo + 1};
}

bool covers(const session::Slice2D& s, const session::SliceWindow& w) {
    return !s.values.empty() && !s.sampled() && s.row0 <= w.row0 &&
           w.row0 + w.rows <= s.row0 + s.rows && s.col0 <= w.col0 &&
           w.col0 + w.cols <= s.col0 + s.cols;
}

} // namespace

HeatmapPlot::HeatmapPlot(QWidget* parent)
    : QWidget(parent)
    , note_(new QLabel(this))
    , hover_(new QLabel(this))
    , plot_(new QCustomPlot(this))
    , map_(new QCPColorMap(plot_->xAxis, plot_->yAxis))
    , window_map_(new QCPColorMap(plot_->xAxis, plot_->yAxis))
    , scale_(new QCPColorScale(plot_))
    , stack_(new PlaceholderStack(plot_, this)) {
    note_->setWordWrap(true);
    hover_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    hover_->setText(hoverHint());
    // Long texts wrap or are cut; they never make the window wider.
    for (QLabel* label : {note_, hover_})
        label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    plot_->plotLayout()->addElement(0, 1, scale_);
    scale_->setType(QCPAxis::atRight);
    scale_->axis()->setLabel(tr("value"));
    for (QCPColorMap* map : {map_, window_map_}) {
        map->setColorScale(scale_);
        map->setInterpolate(false);
        map->setTightBoundary(false);
    }
    window_map_->setVisible(false);
    // Colour scale and plot share their top and bottom margins so the bar lines up with the map.
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale_->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    plot_->xAxis->setLabel(tr("column"));
    plot_->yAxis->setLabel(tr("row"));
    plot_->yAxis->setRangeReversed(true); // row 0 on top, as a matrix is written
    plot_->xAxis->grid()->setVisible(false);
    plot_->yAxis->grid()->setVisible(false);
    for (QCPAxis* axis : {plot_->xAxis, plot_->yAxis}) {
        // Whole indices only: a tick at row 2.5 would name no row.
        auto ticker = QSharedPointer<QCPAxisTickerFixed>(new QCPAxisTickerFixed);
        ticker->setTickStep(1.0);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        axis->setTicker(ticker);
        connect(axis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this, [this] {
            if (slice_.sampled()) window_timer_.start();
        });
    }
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &HeatmapPlot::onMouseMove);
    window_timer_.setSingleShot(true);
    window_timer_.setInterval(kWindowDebounceMs);
    connect(&window_timer_, &QTimer::timeout, this, &HeatmapPlot::requestVisibleWindow);
    applyColours();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(note_);
    layout->addWidget(stack_, 1);
    layout->addWidget(hover_);
    showMessage(tr("No tensor selected."));
}

void HeatmapPlot::setSnapshot(const session::TensorSnapshot& snapshot) {
    const bool same_slice = !slice_.values.empty() && snapshot.name == name_ &&
                            snapshot.shape == shape_ && snapshot.slice.leading == slice_.leading;
    name_ = snapshot.name;
    shape_ = snapshot.shape;
    slice_ = snapshot.slice;
    if (slice_.full_rows == 0 && slice_.full_cols == 0) { // a snapshot written by hand
        const std::size_t rank = shape_.size();
        slice_.full_rows = rank >= 2 ? shape_[rank - 2] : 1;
        slice_.full_cols = rank >= 1 ? shape_[rank - 1] : 1;
    }
    tensor_min_ = snapshot.stats.min;
    tensor_max_ = snapshot.stats.max;
    if (const QString reason = nothingToPlotReason(snapshot.stats, snapshot.shape);
        !reason.isEmpty()) {
        showMessage(reason);
        return;
    }
    if (slice_.rows <= 0 || slice_.cols <= 0 ||
        slice_.values.size() != std::size_t(slice_.rows * slice_.cols)) {
        showMessage(tr("No slice to show."));
        return;
    }
    if (!same_slice) {
        window_ = {};
        asked_.reset();
        window_map_->setVisible(false);
    }
    nan_ = inf_ = 0;
    for (double v : slice_.values) {
        nan_ += std::isnan(v);
        inf_ += std::isinf(v);
    }
    // Snapshots made by hand (and the worker's for an empty slice) leave the extremes unknown.
    if (!std::isfinite(slice_.finite_min) || !std::isfinite(slice_.finite_max)) {
        slice_.finite_min = std::numeric_limits<double>::infinity();
        slice_.finite_max = -slice_.finite_min;
        for (double v : slice_.values)
            if (std::isfinite(v)) {
                slice_.finite_min = std::min(slice_.finite_min, v);
                slice_.finite_max = std::max(slice_.finite_max, v);
            }
    }
    if (!same_slice) {
        const QSignalBlocker bx(plot_->xAxis), by(plot_->yAxis); // no window for the full view
        const double half_col = 0.5 * double(slice_.col_step);
        const double half_row = 0.5 * double(slice_.row_step);
        plot_->xAxis->setRange(-half_col, double(slice_.cols * slice_.col_step) - half_col);
        plot_->yAxis->setRange(-half_row, double(slice_.rows * slice_.row_step) - half_row);
    }
    updateColourScale();
    stack_->showContent();
    replotWhenShown(*plot_);
}

void HeatmapPlot::setWindow(const session::Slice2D& window) {
    if (slice_.values.empty() || window.leading != slice_.leading ||
        window.full_rows != slice_.full_rows || window.full_cols != slice_.full_cols ||
        window.values.size() != std::size_t(window.rows * window.cols))
        return;
    window_ = window;
    fill(*window_map_, window_, colours_.range);
    window_map_->setVisible(true);
    updateNote();
    replotWhenShown(*plot_);
}

void HeatmapPlot::setColourMode(ColourMode mode) {
    if (mode_ == mode) return;
    mode_ = mode;
    if (slice_.values.empty()) return;
    updateColourScale();
    replotWhenShown(*plot_);
}

void HeatmapPlot::updateColourScale() {
    const bool per_tensor = mode_ == ColourMode::PerTensor;
    colours_ = chooseColourScale(per_tensor ? tensor_min_ : slice_.finite_min,
                                 per_tensor ? tensor_max_ : slice_.finite_max, palette());
    fill(*map_, slice_, colours_.range);
    if (!window_.values.empty()) fill(*window_map_, window_, colours_.range);
    scale_->setGradient(colours_.gradient);
    scale_->setDataRange(colours_.range);
    scale_->axis()->setLabel(per_tensor ? tr("value (colour per tensor)")
                                        : tr("value (colour per slice)"));
    updateNote();
}

void HeatmapPlot::updateNote() {
    const std::size_t rank = shape_.size();
    QStringList index;
    for (std::int64_t i : slice_.leading)
        index << QString::number(i);
    if (rank >= 2) index << QStringLiteral(":");
    if (rank >= 1) index << QStringLiteral(":");
    QStringList what;
    what << tr("Slice [%1] of %2").arg(index.join(QStringLiteral(", ")), shapeText(shape_));
    if (slice_.sampled())
        what << tr("overview sampled at %1 (%2 x %3 of %4 x %5 values); zoom in to read every "
                   "value")
                    .arg(samplingText(slice_.row_step, slice_.col_step))
                    .arg(slice_.rows)
                    .arg(slice_.cols)
                    .arg(slice_.full_rows)
                    .arg(slice_.full_cols);
    if (!window_.values.empty()) {
        QString shown = tr("rows %1-%2, columns %3-%4")
                            .arg(window_.row0)
                            .arg(window_.row0 + (window_.rows - 1) * window_.row_step)
                            .arg(window_.col0)
                            .arg(window_.col0 + (window_.cols - 1) * window_.col_step);
        what << (window_.sampled()
                     ? tr("%1 sampled at %2")
                           .arg(shown, samplingText(window_.row_step, window_.col_step))
                     : tr("%1 at full resolution").arg(shown));
    }
    if (nan_ > 0) what << tr("%1 NaN in magenta").arg(nan_);
    if (inf_ > 0) what << tr("%1 +-Inf at the ends of the scale").arg(inf_);
    what << legendText();
    note_->setText(what.join(QStringLiteral("   ·   ")));
}

QString HeatmapPlot::legendText() const {
    return colourScaleText(colours_, mode_, tr("slice"));
}

void HeatmapPlot::showMessage(const QString& text) {
    window_timer_.stop();
    slice_ = {};
    window_ = {};
    asked_.reset();
    name_.clear();
    map_->data()->clear();
    window_map_->data()->clear();
    window_map_->setVisible(false);
    note_->clear();
    hover_->setText(hoverHint());
    stack_->showMessage(text);
}

session::SliceWindow HeatmapPlot::visibleWindow() const {
    const auto [row0, rows] = axisWindow(plot_->yAxis->range(), slice_.full_rows);
    const auto [col0, cols] = axisWindow(plot_->xAxis->range(), slice_.full_cols);
    return {row0, col0, rows, cols};
}

void HeatmapPlot::requestVisibleWindow() {
    window_timer_.stop();
    if (slice_.values.empty() || !slice_.sampled()) return;
    const session::SliceWindow w = visibleWindow();
    if (w.rows >= slice_.full_rows && w.cols >= slice_.full_cols) {
        // Zoomed out: the overview is as fine as a window of everything would be.
        window_ = {};
        asked_.reset();
        window_map_->setVisible(false);
        updateNote();
        replotWhenShown(*plot_);
        return;
    }
    if (covers(window_, w)) return;
    if (asked_ && asked_->row0 == w.row0 && asked_->col0 == w.col0 && asked_->rows == w.rows &&
        asked_->cols == w.cols)
        return;
    asked_ = w;
    emit windowWanted(w);
}

QString HeatmapPlot::message() const {
    return stack_->message();
}

QString HeatmapPlot::hoverText() const {
    return hover_->text() == hoverHint() ? QString() : hover_->text();
}

QString HeatmapPlot::hoverHint() const {
    return tr("Point at a cell to read its index and value; drag to pan, wheel to zoom.");
}

QString HeatmapPlot::note() const {
    return note_->text();
}

QString HeatmapPlot::cellTextAt(const QPointF& pos) const {
    if (stack_->isMessageShown() || slice_.values.empty()) return {};
    if (!plot_->axisRect()->rect().contains(pos.toPoint())) return {};
    const double key = plot_->xAxis->pixelToCoord(pos.x());
    const double value = plot_->yAxis->pixelToCoord(pos.y());
    const session::Slice2D* from = &window_;
    auto cell = nearestCell(window_, key, value);
    if (!cell) {
        from = &slice_;
        cell = nearestCell(slice_, key, value);
    }
    if (!cell) return {};
    const auto [r, c] = *cell;
    const double v = from->values[std::size_t(r * from->cols + c)];
    QString text = indexText(slice_.leading, shape_.size(), from->row0 + r * from->row_step,
                             from->col0 + c * from->col_step) +
                   QStringLiteral(" = ") +
                   (std::isfinite(v) ? QString::number(v, 'g', 7) : valueText(v));
    if (from->sampled())
        text += tr("   (sampled view: %1; zoom in for every value)")
                    .arg(samplingText(from->row_step, from->col_step));
    return text;
}

void HeatmapPlot::onMouseMove(QMouseEvent* event) {
    const QString text = cellTextAt(event->position());
    showHover(*hover_, *plot_, text, hoverHint(), event->globalPosition().toPoint());
}

void HeatmapPlot::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        applyColours();
        // The diverging gradient's centre follows the palette.
        if (!slice_.values.empty()) updateColourScale();
        replotWhenShown(*plot_);
    }
    QWidget::changeEvent(event);
}

void HeatmapPlot::applyColours() {
    applyPalette(*plot_, palette());
}

} // namespace nnscope::ui
