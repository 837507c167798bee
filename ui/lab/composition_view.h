#pragma once
// The "Batches composition" tab of a lab configuration: for a chosen epoch, the classes in each
// batch as stacked bars (batch on x), the number of batches and the size of the last one, and
// what drop_last threw away as a hatched bar after the last batch, its indices listed. Thousands
// of batches are shown in groups of consecutive batches (the mean per batch of each group).

#include "ui/lab/lab_view.h"

class QCPBars;
class QSpinBox;

namespace nnscope::ui {

class LabPlot;

class CompositionView : public LabView {
    Q_OBJECT
public:
    // At most this many bars: more batches are grouped.
    static constexpr std::int64_t kMaxBars = 400;

    explicit CompositionView(QWidget* parent = nullptr);

    QString title() const override { return tr("Batches composition"); }
    void setAnalysis(const workflows::LoaderAnalysisPtr& analysis) override;

    void setEpoch(int epoch);
    int epoch() const;

    LabPlot* plot() const { return plot_; }
    // One stack per class (a single "samples" stack when the classes are unknown), bottom first.
    const std::vector<QCPBars*>& stacks() const { return stacks_; }
    QCPBars* droppedBar() const { return dropped_; }
    // Batches per bar (1: a bar per batch).
    std::int64_t perBar() const { return per_bar_; }
    // epoch,batch,size,<one column per class>: one line per batch of the epoch shown, then the
    // dropped samples as batch "dropped".
    QString csvText() const;

private:
    void showEpoch();
    QString hoverAt(const QPointF& pos) const;

    QSpinBox* epoch_;
    LabPlot* plot_;
    std::vector<QCPBars*> stacks_;
    QCPBars* dropped_ = nullptr;
    workflows::LoaderAnalysisPtr analysis_;
    std::vector<std::vector<std::int64_t>> counts_; // by batch of the epoch shown, by class
    std::int64_t per_bar_ = 1;
};

} // namespace nnscope::ui
