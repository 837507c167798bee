#include "ui/tensor_view/heatmap_plot.h"

#include "ui/tensor_view/colour_scale.h"
#include "ui/tensor_view/placeholder_stack.h"
#include "ui/tensor_view/plot_export.h"
#include "ui/tensor_view/plot_style.h"
#include "ui/tensor_view/tensor_text.h"

#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

// Cells are centred on their real index; a size-1 axis gets a unit-wide range because QCustomPlot
// draws a one-cell axis with zero extent otherwise.
QCPRange cellRange(std::int64_t count, std::int64_t step) {
    if (count <= 1) return QCPRange(-0.5, 0.5);
    return QCPRange(0, double((count - 1) * step));
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

} // namespace

HeatmapPlot::HeatmapPlot(QWidget* parent)
    : QWidget(parent)
    , note_(new QLabel(this))
    , hover_(new QLabel(this))
    , plot_(new QCustomPlot(this))
    , map_(new QCPColorMap(plot_->xAxis, plot_->yAxis))
    , scale_(new QCPColorScale(plot_))
    , stack_(new PlaceholderStack(plot_, this)) {
    note_->setWordWrap(true);
    hover_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    hover_->setText(hoverHint());

    plot_->plotLayout()->addElement(0, 1, scale_);
    scale_->setType(QCPAxis::atRight);
    scale_->axis()->setLabel(tr("value"));
    map_->setColorScale(scale_);
    map_->setInterpolate(false);
    map_->setTightBoundary(false);
    // Colour scale and plot share their top and bottom margins so the bar lines up with the map.
    auto* margins = new QCPMarginGroup(plot_);
    plot_->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale_->setMarginGroup(QCP::msBottom | QCP::msTop, margins);

    plot_->xAxis->setLabel(tr("column"));
    plot_->yAxis->setLabel(tr("row"));
    plot_->yAxis->setRangeReversed(true); // row 0 on top, as a matrix is written
    plot_->xAxis->grid()->setVisible(false);
    plot_->yAxis->grid()->setVisible(false);
    plot_->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &HeatmapPlot::onMouseMove);
    applyColours();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(note_);
    layout->addWidget(stack_, 1);
    layout->addWidget(hover_);
    showMessage(tr("No tensor selected."));
}

void HeatmapPlot::setSnapshot(const session::TensorSnapshot& snapshot) {
    shape_ = snapshot.shape;
    slice_ = snapshot.slice;
    if (const QString reason = nothingToPlotReason(snapshot.stats, snapshot.shape);
        !reason.isEmpty()) {
        showMessage(reason);
        return;
    }
    const auto rows = slice_.rows, cols = slice_.cols;
    if (rows <= 0 || cols <= 0 || slice_.values.size() != std::size_t(rows * cols)) {
        showMessage(tr("No slice to show."));
        return;
    }

    finite_min_ = std::numeric_limits<double>::infinity();
    finite_max_ = -finite_min_;
    std::int64_t nan = 0, inf = 0;
    for (float v : slice_.values) {
        if (std::isnan(v))
            ++nan;
        else if (std::isinf(v))
            ++inf;
        else {
            finite_min_ = std::min<double>(finite_min_, v);
            finite_max_ = std::max<double>(finite_max_, v);
        }
    }
    const ColourScale colours = chooseColourScale(finite_min_, finite_max_, palette());
    diverging_ = colours.diverging;

    auto* data = map_->data();
    data->setSize(int(cols), int(rows));
    data->setRange(cellRange(cols, slice_.col_step), cellRange(rows, slice_.row_step));
    for (std::int64_t r = 0; r < rows; ++r) {
        const float* line = slice_.values.data() + r * cols;
        for (std::int64_t c = 0; c < cols; ++c) {
            double v = line[c];
            // QCustomPlot turns an infinite cell into an integer colour index, which wraps;
            // clamped, +-Inf show as the ends of the scale (the hover text still says inf).
            if (std::isinf(v)) v = v > 0 ? colours.range.upper : colours.range.lower;
            data->setCell(int(c), int(r), v);
        }
    }
    map_->setGradient(colours.gradient);
    map_->setDataRange(colours.range);

    const double half_col = 0.5 * double(slice_.col_step), half_row = 0.5 * double(slice_.row_step);
    plot_->xAxis->setRange(-half_col, double(cols * slice_.col_step) - half_col);
    plot_->yAxis->setRange(-half_row, double(rows * slice_.row_step) - half_row);
    for (auto [axis, step] :
         {std::pair{plot_->xAxis, slice_.col_step}, std::pair{plot_->yAxis, slice_.row_step}}) {
        // Whole indices only: a tick at row 2.5 would name no row.
        auto ticker = QSharedPointer<QCPAxisTickerFixed>(new QCPAxisTickerFixed);
        ticker->setTickStep(double(step));
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        axis->setTicker(ticker);
    }

    const std::size_t rank = shape_.size();
    QStringList what;
    QStringList index;
    for (std::int64_t i : slice_.leading)
        index << QString::number(i);
    if (rank >= 2) index << QStringLiteral(":");
    if (rank >= 1) index << QStringLiteral(":");
    what << tr("Slice [%1] of %2").arg(index.join(QStringLiteral(", ")), shapeText(shape_));
    if (slice_.row_step > 1 || slice_.col_step > 1) {
        const auto full_rows = rank >= 2 ? shape_[rank - 2] : 1;
        const auto full_cols = rank >= 1 ? shape_[rank - 1] : 1;
        what << tr("strided down: every %1 row(s), every %2 column(s), %3 x %4 of %5 x %6 shown")
                    .arg(slice_.row_step)
                    .arg(slice_.col_step)
                    .arg(rows)
                    .arg(cols)
                    .arg(full_rows)
                    .arg(full_cols);
    }
    if (nan > 0) what << tr("%1 NaN in magenta").arg(nan);
    if (inf > 0) what << tr("%1 +-Inf at the ends of the scale").arg(inf);
    note_->setText(what.join(QStringLiteral("   ·   ")));
    stack_->showContent();
    replotWhenShown(*plot_);
}

void HeatmapPlot::showMessage(const QString& text) {
    slice_ = {};
    map_->data()->clear();
    note_->clear();
    hover_->setText(hoverHint());
    stack_->showMessage(text);
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
    const auto c = static_cast<std::int64_t>(std::floor(key / double(slice_.col_step) + 0.5));
    const auto r = static_cast<std::int64_t>(std::floor(value / double(slice_.row_step) + 0.5));
    if (c < 0 || c >= slice_.cols || r < 0 || r >= slice_.rows) return {};
    const float v = slice_.values[std::size_t(r * slice_.cols + c)];
    const QString index =
        indexText(slice_.leading, shape_.size(), r * slice_.row_step, c * slice_.col_step);
    const QString number = std::isfinite(v) ? QString::number(double(v), 'g', 7) : valueText(v);
    return index + QStringLiteral(" = ") + number;
}

void HeatmapPlot::onMouseMove(QMouseEvent* event) {
    const QString text = cellTextAt(event->position());
    hover_->setText(text.isEmpty() ? hoverHint() : text);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, plot_);
}

void HeatmapPlot::exportPng(const QString& path) {
    savePlotPng(*plot_, path);
}

void HeatmapPlot::exportPdf(const QString& path) {
    savePlotPdf(*plot_, path);
}

void HeatmapPlot::exportCsv(const QString& path) const {
    QString text = QStringLiteral("row/col");
    for (std::int64_t c = 0; c < slice_.cols; ++c)
        text += QLatin1Char(',') + QString::number(c * slice_.col_step);
    text += QLatin1Char('\n');
    for (std::int64_t r = 0; r < slice_.rows; ++r) {
        text += QString::number(r * slice_.row_step);
        for (std::int64_t c = 0; c < slice_.cols; ++c)
            text += QLatin1Char(',') + csvNumber(slice_.values[std::size_t(r * slice_.cols + c)]);
        text += QLatin1Char('\n');
    }
    saveText(text, path);
}

void HeatmapPlot::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        applyColours();
        // The diverging gradient's centre follows the palette.
        if (!slice_.values.empty() && diverging_) {
            map_->setGradient(chooseColourScale(finite_min_, finite_max_, palette()).gradient);
        }
        replotWhenShown(*plot_);
    }
    QWidget::changeEvent(event);
}

void HeatmapPlot::applyColours() {
    applyPalette(*plot_, palette());
}

} // namespace nnscope::ui
