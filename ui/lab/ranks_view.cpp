#include "ui/lab/ranks_view.h"

#include "ui/lab/lab_plot.h"

#include <QVBoxLayout>
#include <qcustomplot.h>

namespace nnscope::ui {

std::vector<RankOverlap> rankOverlaps(const workflows::LoaderAnalysis& analysis) {
    std::size_t epochs = 0;
    for (const auto& r : analysis.ranks)
        epochs = std::max(epochs, r.order.size());
    std::vector<RankOverlap> out(epochs);
    // A flag per dataset index: an unordered_set of 60,000 costs the GUI thread 20 ms an epoch.
    const auto n = std::size_t(std::max<std::int64_t>(analysis.dataset_size, 0));
    std::vector<std::uint8_t> seen;
    for (std::size_t e = 0; e < epochs; ++e) {
        seen.assign(n, 0);
        for (const auto& r : analysis.ranks) {
            if (e >= r.order.size()) continue;
            for (std::size_t p = 0; p < r.order[e].size(); ++p) {
                ++out[e].draws;
                if (e < r.padding.size() && p < r.padding[e].size() && r.padding[e][p])
                    ++out[e].padding;
                const auto i = r.order[e][p];
                if (i < 0 || std::size_t(i) >= n) continue;
                if (seen[std::size_t(i)]) ++out[e].repeated;
                seen[std::size_t(i)] = 1;
            }
        }
    }
    return out;
}

RanksView::RanksView(QWidget* parent)
    : LabView(parent)
    , plot_(new LabPlot(QStringLiteral("ranks"), this))
    , map_(std::make_unique<IndexMap>(*plot_->plot())) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    plot_->setHover([this](const QPointF& pos) { return hoverAt(pos); },
                    tr("Point at a cell to read its epoch, rank, position and index."));
    plot_->setCsv([this] { return csvText(); });
    plot_->showMessage(tr("No analysis yet."));
}

void RanksView::setAnalysis(const workflows::LoaderAnalysisPtr& analysis) {
    analysis_ = analysis;
    const auto& a = *analysis_;
    rows_.clear();
    if (a.ranks.empty()) {
        map_->setRows({}, 0, {}); // no row may point into the previous analysis
        plot_->setNote({});
        plot_->showMessage(
            tr("The sampler is not a DistributedSampler. Choose the \"distributed\" sampler to see "
               "how num_replicas ranks split the data set, and how padding repeats samples so "
               "that every rank draws as many."));
        return;
    }
    std::vector<IndexRow> rows;
    QStringList labels;
    std::size_t epochs = 0;
    for (const auto& r : a.ranks)
        epochs = std::max(epochs, r.order.size());
    for (std::size_t e = 0; e < epochs; ++e) {
        for (std::size_t k = 0; k < a.ranks.size(); ++k) {
            const auto& r = a.ranks[k];
            if (e >= r.order.size()) continue;
            rows.push_back({&r.order[e], e < r.padding.size() ? &r.padding[e] : nullptr});
            rows_.emplace_back(k, e);
            labels << tr("e%1 rank %2").arg(e).arg(r.rank);
        }
    }
    map_->setRows(rows, a.dataset_size, labels);
    plot_->plot()->yAxis->setLabel(tr("epoch, rank"));
    plot_->plot()->xAxis->setLabel(tr("position in the rank's epoch"));

    const auto overlaps = rankOverlaps(a);
    std::int64_t draws = 0, padding = 0, repeated = 0;
    for (const auto& o : overlaps) {
        draws += o.draws;
        padding += o.padding;
        repeated += o.repeated;
    }
    QString note =
        tr("%1, %2: %3 draws, of which %4 padding (red crosses); %5 draws "
           "repeat a sample another rank already drew in that epoch.")
            .arg(countOf(static_cast<std::int64_t>(a.ranks.size()), tr("rank"), tr("ranks")))
            .arg(countOf(static_cast<std::int64_t>(epochs), tr("epoch"), tr("epochs")))
            .arg(draws)
            .arg(padding)
            .arg(repeated);
    if (repeated > 0) note += tr(" A metric averaged over all ranks counts those samples twice.");
    if (!map_->resolutionText().isEmpty())
        note += QLatin1Char(' ') + map_->resolutionText() + QLatin1Char('.');
    plot_->setNote(note);
    plot_->setExportTitle(tr("DistributedSampler ranks of %1 (%2 samples)")
                              .arg(QString::fromStdString(a.dataset))
                              .arg(a.dataset_size));
    plot_->showPlot();
}

QString RanksView::hoverAt(const QPointF& pos) const {
    const auto cell = map_->cellAt(pos);
    if (!cell || !analysis_) return {};
    const auto [k, e] = rows_[std::size_t(cell->first)];
    const auto& r = analysis_->ranks[k];
    const auto p = std::size_t(cell->second);
    QString text = tr("epoch %1, rank %2, position %3, ").arg(e).arg(r.rank).arg(p) +
                   sampleText(*analysis_, r.order[e][p]);
    if (e < r.padding.size() && p < r.padding[e].size() && r.padding[e][p])
        text += tr(" (padding: a repeat that evens out the ranks)");
    return text;
}

QString RanksView::csvText() const {
    if (!analysis_) return {};
    QString text = QStringLiteral("epoch,rank,position,index,padding\n");
    for (const auto& [k, e] : rows_) {
        const auto& r = analysis_->ranks[k];
        for (std::size_t p = 0; p < r.order[e].size(); ++p) {
            const bool pad = e < r.padding.size() && p < r.padding[e].size() && r.padding[e][p];
            text += QStringLiteral("%1,%2,%3,%4,%5\n")
                        .arg(e)
                        .arg(r.rank)
                        .arg(p)
                        .arg(r.order[e][p])
                        .arg(pad ? 1 : 0);
        }
    }
    return text;
}

} // namespace nnscope::ui
