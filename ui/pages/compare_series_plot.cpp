#include "ui/pages/compare_series_plot.h"

#include "ui/tensor_view/placeholder_stack.h"
#include "ui/tensor_view/plot_style.h"

#include <QEvent>
#include <QVBoxLayout>
#include <cmath>
#include <qcustomplot.h>

namespace nnscope::ui {

CompareSeriesPlot::CompareSeriesPlot(QWidget* parent)
    : QWidget(parent)
    , plot_(new QCustomPlot(this))
    , stack_(new PlaceholderStack(plot_, this)) {
    // The legend in a row of its own under the plot, so it never hides a line.
    plot_->legend->setVisible(true);
    plot_->axisRect()->insetLayout()->take(plot_->legend);
    plot_->plotLayout()->addElement(1, 0, plot_->legend);
    plot_->plotLayout()->setRowStretchFactor(1, 0.001);
    plot_->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot_->xAxis->setLabel(tr("checkpoint"));
    plot_->yAxis->setLabel(tr("value"));
    plot_->yAxis2->setLabel(tr("change from previous"));
    plot_->yAxis2->setVisible(true);
    applyColours();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(stack_);
    showMessage(tr("Choose a folder of checkpoints, then a tensor."));
}

void CompareSeriesPlot::setSeries(const workflows::TensorSeries& tensor,
                                  const std::vector<std::string>& files) {
    plot_->clearGraphs();
    struct Line {
        const std::vector<double>* values;
        const char* name;
        QColor colour;
        bool right;
    };
    const Line lines[] = {
        {&tensor.mean, "mean", QColor(31, 119, 180), false},
        {&tensor.std, "std", QColor(255, 127, 14), false},
        {&tensor.min, "min", QColor(44, 160, 44), false},
        {&tensor.max, "max", QColor(214, 39, 40), false},
        {&tensor.norm, "norm", QColor(148, 103, 189), false},
        {&tensor.change, "change", QColor(127, 127, 127), true},
    };
    QVector<double> keys(static_cast<int>(files.size()));
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (int i = 0; i < keys.size(); ++i) {
        keys[i] = i;
        ticker->addTick(i, QString::fromStdString(files[static_cast<std::size_t>(i)]));
    }
    plot_->xAxis->setTicker(ticker);
    for (const Line& line : lines) {
        QCPGraph* graph = plot_->addGraph(plot_->xAxis, line.right ? plot_->yAxis2 : plot_->yAxis);
        graph->setName(tr(line.name));
        QPen pen(line.colour, 2);
        if (line.right) pen.setStyle(Qt::DashLine);
        graph->setPen(pen);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
        QVector<double> values(keys.size());
        for (int i = 0; i < keys.size(); ++i) {
            const double v = (*line.values)[static_cast<std::size_t>(i)];
            values[i] = std::isfinite(v) ? v : qQNaN(); // NaN leaves a gap
        }
        graph->setData(keys, values, true);
    }
    plot_->xAxis->setRange(-0.3, std::max<double>(keys.size() - 1, 1) + 0.3);
    plot_->yAxis->rescale();
    plot_->yAxis2->rescale();
    for (QCPAxis* axis : {plot_->yAxis, plot_->yAxis2}) {
        const QCPRange r = axis->range();
        const double pad = r.size() > 0 ? 0.08 * r.size() : 1.0;
        axis->setRange(r.lower - pad, r.upper + pad);
    }
    plot_->xAxis->setLabel(tr("%1 — checkpoint").arg(QString::fromStdString(tensor.name)));
    stack_->showContent();
    replotWhenShown(*plot_);
}

void CompareSeriesPlot::showMessage(const QString& text) {
    plot_->clearGraphs();
    stack_->showMessage(text);
}

int CompareSeriesPlot::lineCount() const {
    return plot_->graphCount();
}

void CompareSeriesPlot::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyColours();
        replotWhenShown(*plot_);
    }
}

void CompareSeriesPlot::applyColours() {
    const QPalette p = palette();
    applyPalette(*plot_, p);
    plot_->legend->setBrush(p.base());
    plot_->legend->setTextColor(p.text().color());
    plot_->legend->setBorderPen(QPen(p.mid().color()));
}

} // namespace nnscope::ui
