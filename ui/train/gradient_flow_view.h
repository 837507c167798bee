#pragma once
// Per parameter of the selected module, over steps: the gradient norm, the weight norm and the
// update-to-weight ratio ||p_after - p_before|| / ||p|| (log scale, with the rule of thumb's 1e-3
// marked); and the gradient-flow chart, one bar per layer (a module with parameters: the 2-norm of
// its parameters' gradients) at the current step (the paused one, else the latest observed), the
// selected layer marked. The over-steps plots follow the session's step range and set it by
// dragging. Draws only while visible.

#include "ui/train/live_view.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

class QCPBars;
class QCPItemStraightLine;

namespace nnscope::ui {

class LabPlot;
class TrainSession;

class GradientFlowView : public LiveView {
    Q_OBJECT
public:
    explicit GradientFlowView(TrainSession* session, QWidget* parent = nullptr);

    LabPlot* normsPlot() const { return norms_; }
    LabPlot* ratioPlot() const { return ratio_; }
    LabPlot* flowPlot() const { return flow_; }
    // The parameters the over-steps plots show (the selected module's own, else some below it).
    const std::vector<std::string>& shownParams() const { return shown_; }
    // The gradient-flow chart's layers, their bar heights, and the step it shows.
    const std::vector<std::string>& flowLayers() const { return layers_; }
    const std::vector<double>& flowValues() const { return flow_values_; }
    std::optional<std::int64_t> flowStep() const { return flow_step_; }

private:
    void draw() override;
    void drawSeries();
    void drawFlow();

    TrainSession* session_;
    LabPlot* norms_;
    LabPlot* ratio_;
    LabPlot* flow_;
    QCPBars* bars_;
    QCPBars* selected_bar_;
    QCPItemStraightLine* rule_;
    std::vector<std::string> shown_;
    std::vector<std::string> layers_;
    std::vector<double> flow_values_;
    std::optional<std::int64_t> flow_step_;
};

} // namespace nnscope::ui
