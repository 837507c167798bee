#pragma once
// The run's scalars: the loss of every step (thinned older steps drawn as their min-max band),
// the learning rate, the test loss and accuracy of each evaluation, and the confusion matrix of
// the latest evaluation. Dragging over the loss or learning-rate plot selects a step range (the
// session's brush, which every over-steps plot follows); a double click shows all steps again.
// Redrawn at most ~25 times a second, and only while shown.

#include <QWidget>

class QCPGraph;
class QTimer;

namespace nnscope::ui {

class ConfusionView;
class LabPlot;
class TrainSession;

class ScalarsView : public QWidget {
    Q_OBJECT
public:
    explicit ScalarsView(TrainSession* session, QWidget* parent = nullptr);

    LabPlot* lossPlot() const { return loss_; }
    LabPlot* learningRatePlot() const { return lr_; }
    LabPlot* evaluationPlot() const { return eval_; }
    ConfusionView* confusion() const { return confusion_; }
    // Redraws now what the session's history holds (the timer does it otherwise).
    void refresh();
    // The brush as a drag from step `from` to step `to` on the loss plot would set it.
    void brush(double from, double to);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void schedule();
    void showRange();
    void clearPlots();

    TrainSession* session_;
    LabPlot* loss_;
    QCPGraph* loss_line_ = nullptr; // over its min-max band
    LabPlot* lr_;
    LabPlot* eval_;
    ConfusionView* confusion_;
    QTimer* timer_;
    bool dirty_ = false;
};

} // namespace nnscope::ui
