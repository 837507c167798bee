#pragma once
// The "Ranks" tab of a lab configuration: what each rank of a DistributedSampler draws, one row
// per (epoch, rank), the padding samples (repeats that even out the ranks) marked with crosses,
// and the samples that more than one rank sees counted: they skew a distributed validation
// metric (pytorch issue 25162). Explains itself when the sampler is not distributed.

#include "ui/lab/index_map.h"
#include "ui/lab/lab_view.h"

#include <memory>

namespace nnscope::ui {

class LabPlot;

// One epoch of a DistributedSampler across its ranks.
struct RankOverlap {
    std::int64_t draws = 0;    // over every rank
    std::int64_t padding = 0;  // draws marked as padding
    std::int64_t repeated = 0; // draws of a sample another rank (or the same) drew before
};
// By epoch.
std::vector<RankOverlap> rankOverlaps(const workflows::LoaderAnalysis& analysis);

class RanksView : public LabView {
    Q_OBJECT
public:
    explicit RanksView(QWidget* parent = nullptr);

    QString title() const override { return tr("Ranks"); }
    void setAnalysis(const workflows::LoaderAnalysisPtr& analysis) override;

    LabPlot* plot() const { return plot_; }
    const IndexMap& map() const { return *map_; }
    // epoch,rank,position,index,padding: one line per position drawn.
    QString csvText() const;

private:
    QString hoverAt(const QPointF& pos) const;

    LabPlot* plot_;
    std::unique_ptr<IndexMap> map_;
    workflows::LoaderAnalysisPtr analysis_;
    std::vector<std::pair<std::size_t, std::size_t>> rows_; // (rank, epoch) of each map row
};

} // namespace nnscope::ui
