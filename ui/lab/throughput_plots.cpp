#include "ui/lab/throughput_plots.h"

#include "ui/tensor_view/placeholder_stack.h"
#include "ui/tensor_view/plot_style.h"

#include <QEvent>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

const QColor kRate(31, 119, 180);
const QColor kWait(255, 127, 14);

} // namespace

ThroughputPlots::ThroughputPlots(QWidget* parent)
    : QWidget(parent)
    , rate_(new QCustomPlot)
    , latency_(new QCustomPlot) {
    auto* both = new QWidget;
    auto* column = new QVBoxLayout(both);
    column->setContentsMargins(0, 0, 0, 0);
    column->addWidget(rate_, 3);
    column->addWidget(latency_, 2);
    stack_ = new PlaceholderStack(both, this);

    rate_->xAxis->setLabel(tr("num_workers"));
    rate_->yAxis->setLabel(tr("samples/s"));
    rate_->yAxis2->setLabel(tr("batch wait, ms (median, bar to p90)"));
    rate_->yAxis2->setVisible(true);
    QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
    ticker->setTickStep(1);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssNone);
    rate_->xAxis->setTicker(ticker);
    latency_->xAxis->setLabel(tr("batch"));
    latency_->yAxis->setLabel(tr("wait in next(), ms"));
    applyColours();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stack_);
}

void ThroughputPlots::setPoints(const std::vector<workflows::ThroughputPoint>& points,
                                const workflows::ThroughputPoint& latest,
                                const workflows::MachineLoad& machine) {
    std::vector<const workflows::ThroughputPoint*> sorted;
    for (const auto& p : points)
        sorted.push_back(&p);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](auto* a, auto* b) { return a->num_workers < b->num_workers; });
    QVector<double> keys, rates, medians, below, above;
    for (const auto* p : sorted) {
        keys << p->num_workers;
        rates << p->samples_per_second;
        medians << p->median_ms;
        below << 0.0;
        above << std::max(0.0, p->p90_ms - p->median_ms);
    }
    rate_->clearPlottables();
    rate_->clearItems();
    QCPGraph* rate = rate_->addGraph(rate_->xAxis, rate_->yAxis);
    rate->setName(tr("samples/s"));
    rate->setPen(QPen(kRate, 2));
    rate->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, kRate, kRate, 7));
    rate->setData(keys, rates, true);
    QCPGraph* wait = rate_->addGraph(rate_->xAxis, rate_->yAxis2);
    wait->setName(tr("median wait"));
    wait->setLineStyle(QCPGraph::lsNone);
    wait->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, kWait, kWait, 6));
    wait->setData(keys, medians, true);
    auto* bars = new QCPErrorBars(rate_->xAxis, rate_->yAxis2);
    bars->setDataPlottable(wait);
    bars->setData(below, above);
    bars->setPen(QPen(kWait, 1.5));

    const int top = std::max(workflows::kSweepMaxWorkers, keys.isEmpty() ? 0 : int(keys.back()));
    rate_->xAxis->setRange(-0.5, top + 0.5);
    if (machine.cores > 0 && static_cast<int>(machine.cores) < top) {
        auto* line = new QCPItemStraightLine(rate_);
        line->point1->setCoords(machine.cores, 0);
        line->point2->setCoords(machine.cores, 1);
        line->setPen(QPen(palette().mid().color(), 1, Qt::DashLine));
        auto* label = new QCPItemText(rate_);
        label->position->setTypeX(QCPItemPosition::ptPlotCoords);
        label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        label->position->setCoords(machine.cores, 0.02);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        label->setText(machine.cores == 1 ? tr(" 1 core") : tr(" %1 cores").arg(machine.cores));
        label->setColor(palette().text().color());
    }
    double highest = 0, longest = 0;
    for (int i = 0; i < keys.size(); ++i) {
        highest = std::max(highest, rates[i]);
        longest = std::max(longest, medians[i] + above[i]);
    }
    rate_->yAxis->setRange(0, highest > 0 ? highest * 1.15 : 1);
    rate_->yAxis2->setRange(0, longest > 0 ? longest * 1.15 : 1);
    drawLatencies(latest);
    stack_->showContent();
    replotWhenShown(*rate_);
    replotWhenShown(*latency_);
}

void ThroughputPlots::drawLatencies(const workflows::ThroughputPoint& point) {
    latency_->clearPlottables();
    QVector<double> keys, values;
    for (std::size_t i = 0; i < point.latency_ms.size(); ++i) {
        keys << static_cast<double>(i + 1);
        values << point.latency_ms[i];
    }
    QCPGraph* rest = latency_->addGraph();
    rest->setName(tr("batches"));
    rest->setPen(QPen(kRate, 1));
    rest->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 3));
    rest->setData(keys, values, true);
    QCPGraph* first = latency_->addGraph();
    first->setName(tr("first batch"));
    first->setLineStyle(QCPGraph::lsNone);
    first->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, kWait, kWait, 9));
    first->setData({0.0}, {point.first_batch_ms}, true);
    latency_->xAxis->setRange(-0.5, std::max<double>(1, static_cast<double>(keys.size())) + 0.5);
    double top = point.first_batch_ms;
    for (double v : values)
        top = std::max(top, v);
    latency_->yAxis->setRange(0, top > 0 ? top * 1.1 : 1);
    latency_->xAxis->setLabel(tr("batch of the last run (num_workers=%1; 0: the first, with "
                                 "iter() and the workers' start-up)")
                                  .arg(point.num_workers));
}

void ThroughputPlots::showMessage(const QString& text) {
    rate_->clearPlottables();
    rate_->clearItems();
    latency_->clearPlottables();
    stack_->showMessage(text);
}

int ThroughputPlots::pointCount() const {
    if (stack_->isMessageShown() || rate_->graphCount() == 0) return 0;
    return rate_->graph(0)->dataCount();
}

void ThroughputPlots::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyColours();
        replotWhenShown(*rate_);
        replotWhenShown(*latency_);
    }
}

void ThroughputPlots::applyColours() {
    applyPalette(*rate_, palette());
    applyPalette(*latency_, palette());
}

} // namespace nnscope::ui
