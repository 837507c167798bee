#pragma once
// One step of one module's stream in full: its histogram (the tensor view's HistogramPlot, over
// the finite values) and its NaN, +Inf and -Inf counts as bars of their own beside it, so values
// a histogram cannot place are never dropped from the picture.

#include "workflows/train_history.h"

#include <QWidget>

class QCPBars;
class QCustomPlot;
class QLabel;

namespace nnscope::ui {

class HistogramPlot;

class StepHistogram : public QWidget {
    Q_OBJECT
public:
    explicit StepHistogram(QWidget* parent = nullptr);

    // `what` names the stream and step ("output of 3 at step 17"); a null point shows `empty`.
    void setPoint(const workflows::StreamPoint* point, const QString& what, const QString& empty);

    HistogramPlot* histogram() const { return histogram_; }
    QString title() const;
    // The NaN, +Inf and -Inf bars' heights.
    std::vector<double> nonFiniteCounts() const;

private:
    QLabel* title_;
    HistogramPlot* histogram_;
    QCustomPlot* special_;
    QCPBars* bars_;
};

} // namespace nnscope::ui
