#include "ui/lab/order_view.h"

#include "ui/lab/lab_plot.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

namespace nnscope::ui {

OrderView::OrderView(QWidget* parent)
    : LabView(parent)
    , plot_(new LabPlot(QStringLiteral("order"), this))
    , map_(std::make_unique<IndexMap>(*plot_->plot())) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->setHover([this](const QPointF& pos) { return hoverAt(pos); },
                    tr("Point at a cell to read its epoch, position, batch, index and label."));
    plot_->setCsv([this] { return csvText(); });
    plot_->showMessage(tr("No analysis yet."));
}

void OrderView::setAnalysis(const workflows::LoaderAnalysisPtr& analysis) {
    analysis_ = analysis;
    const auto& a = *analysis_;
    if (a.epochs.empty() || a.batches() == 0) {
        map_->setRows({}, 0, {}); // no row may point into the previous analysis
        plot_->showMessage(tr("The loader draws no batch: nothing to order."));
        return;
    }
    std::vector<IndexRow> rows;
    QStringList labels;
    for (const auto& e : a.epochs) {
        rows.push_back({&e.order, &e.padding});
        labels << tr("epoch %1").arg(e.epoch);
    }
    map_->setRows(rows, a.dataset_size, labels);
    plot_->plot()->yAxis->setLabel(tr("epoch"));
    QString note = tr("Dataset index (0 to %1) drawn at each position, one row per epoch: a ramp "
                      "is sequential order, noise is shuffled, identical rows repeat a shuffle.")
                       .arg(a.dataset_size - 1);
    if (map_->paddingMarks()->visible()) note += tr(" Red crosses: padding.");
    if (!map_->resolutionText().isEmpty())
        note += QLatin1Char(' ') + map_->resolutionText() + QLatin1Char('.');
    plot_->setNote(note);
    plot_->setExportTitle(tr("Index order of %1 (%2 samples), %3 epochs")
                              .arg(QString::fromStdString(a.dataset))
                              .arg(a.dataset_size)
                              .arg(a.epochs.size()));
    plot_->showPlot();
}

QString OrderView::hoverAt(const QPointF& pos) const {
    const auto cell = map_->cellAt(pos);
    if (!cell || !analysis_) return {};
    const auto& e = analysis_->epochs[std::size_t(cell->first)];
    const std::int64_t p = cell->second;
    QString text =
        tr("epoch %1, position %2, batch %3, ").arg(e.epoch).arg(p).arg(batchAt(e.batch_sizes, p)) +
        sampleText(*analysis_, e.order[std::size_t(p)]);
    if (std::size_t(p) < e.padding.size() && e.padding[std::size_t(p)])
        text += tr(" (padding: a repeat that evens out the ranks)");
    return text;
}

QString OrderView::csvText() const {
    if (!analysis_) return {};
    QString text = QStringLiteral("epoch,position,batch,index,label\n");
    for (const auto& e : analysis_->epochs) {
        std::int64_t p = 0;
        for (std::size_t b = 0; b < e.batch_sizes.size(); ++b) {
            for (std::int64_t k = 0; k < e.batch_sizes[b]; ++k, ++p) {
                const std::int64_t i = e.order[std::size_t(p)];
                const std::int64_t label = i >= 0 && i < std::int64_t(analysis_->labels.size())
                                               ? analysis_->labels[std::size_t(i)]
                                               : -1;
                text +=
                    QStringLiteral("%1,%2,%3,%4,%5\n").arg(e.epoch).arg(p).arg(b).arg(i).arg(label);
            }
        }
    }
    return text;
}

} // namespace nnscope::ui
