#pragma once
// The step-range brush of every plot over steps: drag across the plot to show only those steps in
// all of them (the session's step range), double-click to show every step again. A click in place
// (no drag) reports the step under the mouse. The plots follow the range through applyStepRange.

#include <QObject>
#include <QPoint>
#include <cstdint>

class QCPAxis;
class QCustomPlot;
class QMouseEvent;

namespace nnscope::ui {

class TrainSession;

class StepBrush : public QObject {
    Q_OBJECT
public:
    StepBrush(QCustomPlot* plot, TrainSession* session);

    // What a drag from pixel x0 to pixel x1 of the plot does: the session's range becomes the
    // whole steps between them (a drag narrower than a step is a click).
    void brushPixels(double x0, double x1);

signals:
    void stepClicked(std::int64_t step);

private:
    void onPress(QMouseEvent* event);
    void onRelease(QMouseEvent* event);

    QCustomPlot* plot_;
    TrainSession* session_;
    QPoint pressed_;
};

// Sets `axis` (a plot's step axis) to the session's step range, or to [first, last] (the steps
// shown) when there is none; a little margin either side keeps the end points visible.
void applyStepRange(QCPAxis& axis, const TrainSession& session, double first, double last);

} // namespace nnscope::ui
