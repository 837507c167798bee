#include "ui/train/distributions_view_step.h"

#include "ui/tensor_view/histogram_plot.h"
#include "ui/tensor_view/plot_style.h"

#include <QLabel>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace nnscope::ui {

StepHistogram::StepHistogram(QWidget* parent)
    : QWidget(parent)
    , title_(new QLabel(this))
    , histogram_(new HistogramPlot(this))
    , special_(new QCustomPlot(this))
    , bars_(new QCPBars(special_->yAxis, special_->xAxis)) {
    title_->setWordWrap(true);
    // Horizontal bars under the histogram: NaN, +Inf and -Inf from the top.
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    ticker->addTick(2, QStringLiteral("NaN"));
    ticker->addTick(1, QStringLiteral("+Inf"));
    ticker->addTick(0, QStringLiteral("-Inf"));
    special_->yAxis->setTicker(ticker);
    special_->yAxis->setRange(-0.6, 2.6);
    special_->xAxis->setLabel(tr("count of values the histogram cannot place"));
    special_->setToolTip(tr("NaN and infinities: never dropped, counted here"));
    special_->setFixedHeight(110);
    bars_->setWidth(0.7);
    bars_->setBrush(QColor(0xe1, 0x57, 0x59));
    bars_->setPen(Qt::NoPen);
    applyPalette(*special_, palette());

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title_);
    layout->addWidget(histogram_, 1);
    layout->addWidget(special_);
}

void StepHistogram::setPoint(const workflows::StreamPoint* point, const QString& what,
                             const QString& empty) {
    title_->setText(what);
    if (!point) {
        histogram_->showMessage(empty);
        bars_->data()->clear();
        replotWhenShown(*special_);
        return;
    }
    session::TensorSnapshot snapshot;
    snapshot.name = what.toStdString();
    snapshot.shape = {point->stats.stats.numel};
    snapshot.dtype = "float32";
    snapshot.stats = point->stats.stats;
    snapshot.histogram = point->stats.histogram;
    histogram_->setSnapshot(snapshot);
    const auto& s = point->stats.stats;
    const double counts[] = {double(s.nan), double(s.pos_inf), double(s.neg_inf)};
    bars_->setData({0, 1, 2}, {counts[2], counts[1], counts[0]}, true);
    special_->xAxis->setRange(0, std::max({counts[0], counts[1], counts[2], 1.0}) * 1.1);
    replotWhenShown(*special_);
}

QString StepHistogram::title() const {
    return title_->text();
}

std::vector<double> StepHistogram::nonFiniteCounts() const {
    std::vector<double> counts(3, 0.0);
    for (auto it = bars_->data()->constBegin(); it != bars_->data()->constEnd(); ++it)
        counts[2 - std::size_t(it->key)] = it->value;
    return counts;
}

} // namespace nnscope::ui
