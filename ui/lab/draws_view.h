#pragma once
// The "Draws" tab of a lab configuration: how often each sample was drawn over the epochs (a bar
// per index for small data sets, else a histogram of draw counts), never-drawn samples (red) and
// samples drawn more than once within an epoch (orange) counted and marked; and the classes drawn
// against the data set's own distribution (grouped bars: drawn, and expected = the class's share
// x the samples drawn), so a WeightedRandomSampler's rebalancing shows.

#include "ui/lab/lab_view.h"

class QCPBars;
class QCPGraph;

namespace nnscope::ui {

class LabPlot;

// How each index was drawn, over every epoch.
struct DrawStats {
    std::vector<std::int64_t> counts;   // per index (LoaderAnalysis::draw_counts)
    std::vector<std::uint8_t> repeated; // per index: 1 when drawn twice or more in one epoch
    std::vector<std::int64_t> never;    // the indices never drawn
    std::int64_t repeated_samples = 0;  // indices with repeated set
};
DrawStats drawStats(const workflows::LoaderAnalysis& analysis);

class DrawsView : public LabView {
    Q_OBJECT
public:
    // Up to this many samples get a bar each; more get the histogram of draw counts.
    static constexpr std::int64_t kMaxIndexBars = 200;

    explicit DrawsView(QWidget* parent = nullptr);

    QString title() const override { return tr("Draws"); }
    void setAnalysis(const workflows::LoaderAnalysisPtr& analysis) override;

    LabPlot* drawsPlot() const { return draws_; }
    LabPlot* classesPlot() const { return classes_; }
    // The draw bars: by index (or by draw count), split into once-per-epoch, repeated and the
    // never-drawn marks.
    QCPBars* drawnBars() const { return drawn_; }
    QCPBars* repeatedBars() const { return repeated_; }
    QCPBars* neverBars() const { return never_; }
    // By index: a red triangle on the axis under each never-drawn index.
    QCPGraph* neverMarks() const { return never_marks_; }
    QCPBars* classDrawnBars() const { return class_drawn_; }
    QCPBars* classExpectedBars() const { return class_expected_; }
    bool byIndex() const { return by_index_; }

    QString drawsCsv() const;
    QString classesCsv() const;

private:
    void showDraws();
    void showClasses();
    QString drawsHover(const QPointF& pos) const;
    QString classesHover(const QPointF& pos) const;
    double expected(std::size_t c) const;

    LabPlot* draws_;
    LabPlot* classes_;
    QCPBars* drawn_;
    QCPBars* repeated_;
    QCPBars* never_;
    QCPGraph* never_marks_;
    QCPBars* class_drawn_;
    QCPBars* class_expected_;
    workflows::LoaderAnalysisPtr analysis_;
    DrawStats stats_;
    std::vector<std::int64_t> histogram_; // samples by draw count, when not by index
    bool by_index_ = false;
};

} // namespace nnscope::ui
