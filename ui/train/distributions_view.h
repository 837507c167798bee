#pragma once
// Per module over steps: percentile bands of its activations and gradients (TensorBoard's
// distributions), the histogram of a step on hover or click, dead units, and a step-range brush.
// (Contract skeleton; the modules part builds it.)

#include <QWidget>

namespace nnscope::ui {

class TrainSession;

class DistributionsView : public QWidget {
    Q_OBJECT
public:
    explicit DistributionsView(TrainSession* session, QWidget* parent = nullptr);

private:
    TrainSession* session_;
};

} // namespace nnscope::ui
