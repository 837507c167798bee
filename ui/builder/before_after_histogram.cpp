#include "ui/builder/before_after_histogram.h"

#include "ui/tensor_view/plot_style.h"

#include <QEvent>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

// Bars centred on their bins, one bin wide; returns the bins' range.
void fill(QCPBars& bars, const stats::Histogram& h) {
    const int n = int(h.counts.size());
    QVector<double> keys(n), values(n);
    const double width = n > 0 ? (h.hi - h.lo) / n : 1.0;
    for (int i = 0; i < n; ++i) {
        keys[i] = h.lo + (i + 0.5) * width;
        values[i] = double(h.counts[std::size_t(i)]);
    }
    bars.setWidth(width);
    bars.setData(keys, values, true);
}

QString number(double v) {
    return QString::number(v, 'g', 3);
}

} // namespace

BeforeAfterHistogram::BeforeAfterHistogram(QWidget* parent)
    : QWidget(parent)
    , caption_(new QLabel(this))
    , plot_(new QCustomPlot(this))
    , before_(new QCPBars(plot_->xAxis, plot_->yAxis))
    , after_(new QCPBars(plot_->xAxis, plot_->yAxis)) {
    caption_->setWordWrap(true);
    caption_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    caption_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (QCPBars* bars : {before_, after_})
        bars->setWidthType(QCPBars::wtPlotCoords);
    before_->setName(tr("before"));
    after_->setName(tr("after"));
    // No legend or axis titles: the caption says which is which, and the plot keeps the room.
    plot_->xAxis->ticker()->setTickCount(3);
    // The outline of before on top of the filled after, so both stay visible.
    plot_->addLayer(QStringLiteral("before"), plot_->layer(QStringLiteral("main")),
                    QCustomPlot::limAbove);
    before_->setLayer(QStringLiteral("before"));
    plot_->yAxis->ticker()->setTickCount(3);
    plot_->setMinimumHeight(100); // the window still fits 640 px high
    applyColours();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(caption_);
    layout->addWidget(plot_, 1);
    showMessage(tr("Select a tensor to see its values before and after apply."));
}

void BeforeAfterHistogram::setValues(const QString& key, const session::TensorValues& before,
                                     const session::TensorValues& after) {
    fill(*before_, before.histogram);
    fill(*after_, after.histogram);
    const double lo = std::min(before.histogram.lo, after.histogram.lo);
    const double hi = std::max(before.histogram.hi, after.histogram.hi);
    const double pad = 0.03 * std::max(hi - lo, 1e-12);
    plot_->xAxis->setRange(lo - pad, hi + pad);
    std::int64_t top = 1;
    for (const auto* h : {&before.histogram, &after.histogram})
        for (auto c : h->counts)
            top = std::max(top, c);
    plot_->yAxis->setRange(0, double(top) * 1.15);
    const bool same = before.stats.mean == after.stats.mean &&
                      before.stats.std == after.stats.std &&
                      before.histogram.counts == after.histogram.counts;
    caption_->setText(same ? tr("%1: unchanged by apply (mean %2, std %3)")
                                 .arg(key, number(after.stats.mean), number(after.stats.std))
                           : tr("%1 (outline before, filled after): mean %2 → %3, std %4 → %5")
                                 .arg(key, number(before.stats.mean), number(after.stats.mean),
                                      number(before.stats.std), number(after.stats.std)));
    plot_->setVisible(true);
    replotWhenShown(*plot_);
}

void BeforeAfterHistogram::showMessage(const QString& text) {
    before_->data()->clear();
    after_->data()->clear();
    caption_->setText(text);
    plot_->setVisible(false);
}

QString BeforeAfterHistogram::caption() const {
    return caption_->text();
}

void BeforeAfterHistogram::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyColours();
        replotWhenShown(*plot_);
    }
}

void BeforeAfterHistogram::applyColours() {
    applyPalette(*plot_, palette());
    QColor grey = palette().color(QPalette::WindowText);
    grey.setAlpha(140);
    before_->setPen(QPen(grey, 1.2));
    before_->setBrush(Qt::NoBrush);
    QColor accent = palette().color(QPalette::Highlight);
    after_->setPen(QPen(accent, 1));
    accent.setAlpha(110);
    after_->setBrush(accent);
}

} // namespace nnscope::ui
