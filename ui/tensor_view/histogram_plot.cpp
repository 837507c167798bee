#include "ui/tensor_view/histogram_plot.h"

#include "ui/tensor_view/placeholder_stack.h"
#include "ui/tensor_view/plot_export.h"
#include "ui/tensor_view/plot_style.h"
#include "ui/tensor_view/tensor_text.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace nnscope::ui {

const QList<int>& HistogramPlot::binChoices() {
    static const QList<int> choices{16, 32, 64, 128, 256};
    return choices;
}

HistogramPlot::HistogramPlot(QWidget* parent)
    : QWidget(parent)
    , bins_combo_(new QComboBox(this))
    , log_y_(new QCheckBox(tr("Log count"), this))
    , stats_(new QLabel(this))
    , hover_(new QLabel(this))
    , plot_(new QCustomPlot(this))
    , bars_(new QCPBars(plot_->xAxis, plot_->yAxis))
    , stack_(new PlaceholderStack(plot_, this)) {
    for (int b : binChoices())
        bins_combo_->addItem(QString::number(b), b);
    bins_combo_->setCurrentIndex(binChoices().indexOf(64));
    bins_combo_->setToolTip(tr("Number of equal-width bins between the smallest and the largest "
                               "finite value"));
    connect(bins_combo_, &QComboBox::activated, this,
            [this] { emit binsRequested(bins_combo_->currentData().toInt()); });
    connect(log_y_, &QCheckBox::toggled, this, [this](bool on) { setLogY(on); });

    stats_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    stats_->setWordWrap(true);
    hover_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    hover_->setText(hoverHint());
    for (QLabel* label : {stats_, hover_})
        label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    plot_->setMouseTracking(true);
    connect(plot_, &QCustomPlot::mouseMove, this, &HistogramPlot::onMouseMove);

    plot_->xAxis->setLabel(tr("value"));
    plot_->yAxis->setLabel(tr("count"));
    plot_->setNoAntialiasingOnDrag(true);
    bars_->setWidthType(QCPBars::wtPlotCoords);
    applyColours();

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Bins"), this));
    controls->addWidget(bins_combo_);
    controls->addWidget(log_y_);
    controls->addStretch();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(stats_);
    layout->addWidget(stack_, 1);
    layout->addWidget(hover_);
    showMessage(tr("No tensor selected."));
}

void HistogramPlot::setSnapshot(const session::TensorSnapshot& snapshot) {
    histogram_ = snapshot.histogram;
    stats_->setText(statsText(snapshot.stats));
    const int n = static_cast<int>(histogram_.counts.size());
    if (const int i = binChoices().indexOf(n); i >= 0) {
        const QSignalBlocker block(bins_combo_);
        bins_combo_->setCurrentIndex(i);
    }
    if (const QString reason = nothingToPlotReason(snapshot.stats, snapshot.shape);
        !reason.isEmpty() || n == 0) {
        bars_->data()->clear();
        stack_->showMessage(reason.isEmpty() ? tr("No histogram.") : reason);
        return;
    }
    // Bars centred on their bins, exactly one bin wide, so the x axis reads in value units.
    const double width = (histogram_.hi - histogram_.lo) / n;
    QVector<double> keys(n), values(n);
    for (int i = 0; i < n; ++i) {
        keys[i] = histogram_.lo + (i + 0.5) * width;
        values[i] = static_cast<double>(histogram_.counts[i]);
    }
    bars_->setWidth(width);
    bars_->setData(keys, values, true);
    plot_->xAxis->setRange(histogram_.lo - 0.02 * (histogram_.hi - histogram_.lo),
                           histogram_.hi + 0.02 * (histogram_.hi - histogram_.lo));
    // Enough significant digits that ticks over a narrow range far from zero stay distinct
    // ([0.5, 0.5 + 1e-7] would otherwise read 0.5 on every tick).
    const double span = histogram_.hi - histogram_.lo;
    const double magnitude = std::max(std::abs(histogram_.lo), std::abs(histogram_.hi));
    const int digits = span > 0 && magnitude > 0
                           ? static_cast<int>(std::ceil(std::log10(magnitude / span))) + 2
                           : 3;
    plot_->xAxis->setNumberPrecision(std::clamp(digits, 3, 15));
    plot_->xAxis->ticker()->setTickCount(digits > 5 ? 3 : 5); // long labels need the room
    rescaleCounts();
    stack_->showContent();
    replotWhenShown(*plot_);
}

void HistogramPlot::showMessage(const QString& text) {
    histogram_ = {};
    bars_->data()->clear();
    stats_->clear();
    hover_->setText(hoverHint());
    stack_->showMessage(text);
}

void HistogramPlot::setLogY(bool on) {
    if (log_y_->isChecked() != on) {
        log_y_->setChecked(on); // comes back here through toggled
        return;
    }
    if (on) {
        plot_->yAxis->setScaleType(QCPAxis::stLogarithmic);
        plot_->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    } else {
        plot_->yAxis->setScaleType(QCPAxis::stLinear);
        plot_->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    rescaleCounts();
    replotWhenShown(*plot_);
}

bool HistogramPlot::logY() const {
    return log_y_->isChecked();
}

int HistogramPlot::bins() const {
    return bins_combo_->currentData().toInt();
}

QString HistogramPlot::statsLine() const {
    return stats_->text();
}

QString HistogramPlot::message() const {
    return stack_->message();
}

void HistogramPlot::rescaleCounts() {
    std::int64_t top = 0;
    for (std::int64_t c : histogram_.counts)
        top = std::max(top, c);
    // Log scale starts below 1 so a bin holding a single element still shows as a bar.
    if (logY())
        plot_->yAxis->setRange(0.5, std::max<double>(top, 1) * 2.0);
    else
        plot_->yAxis->setRange(0, std::max<double>(top, 1) * 1.05);
}

QString HistogramPlot::binTextAt(const QPointF& pos) const {
    const auto n = static_cast<std::int64_t>(histogram_.counts.size());
    if (stack_->isMessageShown() || n == 0) return {};
    if (!plot_->axisRect()->rect().contains(pos.toPoint())) return {};
    const double x = plot_->xAxis->pixelToCoord(pos.x());
    const double width = (histogram_.hi - histogram_.lo) / double(n);
    if (!(width > 0) || x < histogram_.lo || x > histogram_.hi) return {};
    const auto i = std::min<std::int64_t>(std::int64_t((x - histogram_.lo) / width), n - 1);
    const double lo = histogram_.lo + double(i) * width;
    const double hi = i + 1 == n ? histogram_.hi : histogram_.lo + double(i + 1) * width;
    return binText(lo, hi, i + 1 == n, histogram_.counts[std::size_t(i)]);
}

QString HistogramPlot::hoverText() const {
    return hover_->text() == hoverHint() ? QString() : hover_->text();
}

QString HistogramPlot::hoverHint() const {
    return tr("Point at a bar to read its value range and count.");
}

void HistogramPlot::onMouseMove(QMouseEvent* event) {
    const QString text = binTextAt(event->position());
    showHover(*hover_, *plot_, text, hoverHint(), event->globalPosition().toPoint());
}

QString HistogramPlot::csvText() const {
    QString text = QStringLiteral("bin_lo,bin_hi,count\n");
    const std::size_t n = histogram_.counts.size();
    const double width = n ? (histogram_.hi - histogram_.lo) / n : 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        const double lo = histogram_.lo + i * width;
        const double hi = i + 1 == n ? histogram_.hi : histogram_.lo + (i + 1) * width;
        text += csvNumber(lo) + QLatin1Char(',') + csvNumber(hi) + QLatin1Char(',') +
                QString::number(histogram_.counts[i]) + QLatin1Char('\n');
    }
    return text;
}

void HistogramPlot::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) {
        applyColours();
        replotWhenShown(*plot_);
    }
    QWidget::changeEvent(event);
}

void HistogramPlot::applyColours() {
    applyPalette(*plot_, palette());
    // No outline: at 256 bins an outline would be all one sees of a bar.
    bars_->setPen(Qt::NoPen);
    QColor fill = palette().color(QPalette::Highlight);
    fill.setAlpha(210);
    bars_->setBrush(fill);
}

} // namespace nnscope::ui
