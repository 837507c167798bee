#pragma once
// Per parameter: gradient norm, weight norm and update-to-weight ratio over steps (log scale), and
// a gradient-flow chart with one bar per layer for the current step. (Contract skeleton; the
// modules part builds it.)

#include <QWidget>

namespace nnscope::ui {

class TrainSession;

class GradientFlowView : public QWidget {
    Q_OBJECT
public:
    explicit GradientFlowView(TrainSession* session, QWidget* parent = nullptr);

private:
    TrainSession* session_;
};

} // namespace nnscope::ui
