#pragma once
// The "Order" tab of a lab configuration: the dataset index drawn at every position of every
// epoch as a heatmap (a row per epoch), so that sequential order (a ramp), shuffling (noise),
// the same shuffle every epoch (identical rows) and a DistributedSampler's share (a stride) show at
// a glance. The hover reads epoch, position, batch, index and label.

#include "ui/lab/index_map.h"
#include "ui/lab/lab_view.h"

#include <memory>

namespace nnscope::ui {

class LabPlot;

class OrderView : public LabView {
    Q_OBJECT
public:
    explicit OrderView(QWidget* parent = nullptr);

    QString title() const override { return tr("Order"); }
    void setAnalysis(const workflows::LoaderAnalysisPtr& analysis) override;

    LabPlot* plot() const { return plot_; }
    const IndexMap& map() const { return *map_; }
    // epoch,position,batch,index,label: one line per position drawn.
    QString csvText() const;

private:
    QString hoverAt(const QPointF& pos) const;

    LabPlot* plot_;
    std::unique_ptr<IndexMap> map_;
    workflows::LoaderAnalysisPtr analysis_;
};

} // namespace nnscope::ui
