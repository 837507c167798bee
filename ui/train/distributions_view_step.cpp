#include "ui/train/distributions_view_step.h"

#include "ui/tensor_view/histogram_plot.h"
#include "ui/tensor_view/plot_style.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <qcustomplot.h>

namespace nnscope::ui {

StepHistogram::StepHistogram(QWidget* parent)
    : QWidget(parent)
    , title_(new QLabel(this))
    , histogram_(new HistogramPlot(this))
    , special_(new QCustomPlot(this))
    , bars_(new QCPBars(special_->xAxis, special_->yAxis)) {
    title_->setWordWrap(true);
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    ticker->addTick(0, QStringLiteral("NaN"));
    ticker->addTick(1, QStringLiteral("+Inf"));
    ticker->addTick(2, QStringLiteral("-Inf"));
    special_->xAxis->setTicker(ticker);
    special_->xAxis->setRange(-0.6, 2.6);
    special_->yAxis->setLabel(tr("count"));
    special_->setToolTip(tr("Values the histogram cannot place: NaN and infinities"));
    special_->setMinimumWidth(110);
    special_->setMaximumWidth(160);
    bars_->setWidth(0.7);
    bars_->setBrush(QColor(0xe1, 0x57, 0x59));
    bars_->setPen(Qt::NoPen);
    applyPalette(*special_, palette());

    auto* row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(histogram_, 1);
    row->addWidget(special_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(title_);
    layout->addLayout(row, 1);
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
    bars_->setData({0, 1, 2}, {counts[0], counts[1], counts[2]}, true);
    special_->yAxis->setRange(0, std::max({counts[0], counts[1], counts[2], 1.0}) * 1.1);
    replotWhenShown(*special_);
}

QString StepHistogram::title() const {
    return title_->text();
}

std::vector<double> StepHistogram::nonFiniteCounts() const {
    std::vector<double> counts(3, 0.0);
    for (auto it = bars_->data()->constBegin(); it != bars_->data()->constEnd(); ++it)
        counts[std::size_t(it->key)] = it->value;
    return counts;
}

} // namespace nnscope::ui
