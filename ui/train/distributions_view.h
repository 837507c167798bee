#pragma once
// Per module over steps: the distributions of its output activations and of the gradient w.r.t.
// its output as TensorBoard's percentile bands, the histogram of a step on hover or click (NaN and
// Inf as bars of their own), the share of zeros (dead units after a ReLU) and the non-finite
// counts over steps. Dragging across any plot sets the session's step range, which every plot
// over steps follows. Draws only the selected module's series, and only while it is visible.

#include "ui/train/live_view.h"
#include "workflows/train_history.h"

#include <optional>

class QCPBars;
class QCPGraph;
class QLabel;

namespace nnscope::ui {

class BandPlot;
class LabPlot;
class StepHistogram;
class TrainSession;

class DistributionsView : public LiveView {
    Q_OBJECT
public:
    explicit DistributionsView(TrainSession* session, QWidget* parent = nullptr);

    BandPlot* activationPlot() const { return act_; }
    BandPlot* gradientPlot() const { return grad_; }
    LabPlot* zerosPlot() const { return zeros_; }
    StepHistogram* stepHistogram() const { return step_; }
    // Shows the histogram of `stream` at `step` (the nearest kept step), as hover or click does.
    void showStep(workflows::Stream stream, std::int64_t step);

private:
    void draw() override;
    void drawZeros(const std::vector<const workflows::StreamPoint*>& acts,
                   const std::vector<const workflows::StreamPoint*>& grads);
    void drawStep();

    TrainSession* session_;
    QLabel* title_;
    BandPlot* act_;
    BandPlot* grad_;
    LabPlot* zeros_;
    QCPGraph* zero_line_;
    QCPBars* act_nonfinite_;
    QCPBars* grad_nonfinite_;
    StepHistogram* step_;
    workflows::Stream stream_ = workflows::Stream::Activation;
    std::optional<std::int64_t> step_shown_;
};

} // namespace nnscope::ui
