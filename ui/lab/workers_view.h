#pragma once
// The "Workers" tab of a lab configuration: for each epoch and worker, its torch seed
// (base_seed + worker) and what a numpy-like random library drew in it for each sample it loads,
// unseeded (forked workers inherit one state, so their rows come out identical: the repeated
// augmentations of pytorch issue 5059) next to seeded per worker by worker_init_fn. Two heatmaps
// side by side (a row per epoch and worker, the colour the draw in [0, 1)) and the table of seeds
// and draws. Explains itself when num_workers = 0.

#include "ui/lab/lab_view.h"

class QCPAxisRect;
class QCPColorMap;
class QTableView;

namespace nnscope::ui {

class LabPlot;
class LabWorkerModel;

class WorkersView : public LabView {
    Q_OBJECT
public:
    explicit WorkersView(QWidget* parent = nullptr);

    QString title() const override { return tr("Workers"); }
    void setAnalysis(const workflows::LoaderAnalysisPtr& analysis) override;

    LabPlot* plot() const { return plot_; }
    QCPColorMap* unseededMap() const { return unseeded_; }
    QCPColorMap* seededMap() const { return seeded_; }
    LabWorkerModel* model() const { return model_; }
    QTableView* table() const { return table_; }
    // epoch,worker,torch_seed,sample,index,unseeded,seeded: one line per sample a worker loads.
    QString csvText() const;

private:
    QString hoverAt(const QPointF& pos) const;

    LabPlot* plot_;
    QCPAxisRect* left_;
    QCPAxisRect* right_;
    QCPColorMap* unseeded_;
    QCPColorMap* seeded_;
    LabWorkerModel* model_;
    QTableView* table_;
    workflows::LoaderAnalysisPtr analysis_;
};

} // namespace nnscope::ui
