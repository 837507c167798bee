#pragma once
// The overhead meter of the training toolbar: the share of the run's time spent in hooks and
// statistics against training itself (forward, backward, the optimizer step), from the seconds
// the worker reports with each progress, and the steps trained per second.

#include <QWidget>

class QLabel;
class QProgressBar;

namespace nnscope::ui {

class OverheadMeter : public QWidget {
    Q_OBJECT
public:
    explicit OverheadMeter(QWidget* parent = nullptr);

    // Seconds since the run started; negative or non-finite values count as 0.
    void setSeconds(double train_seconds, double observe_seconds, double steps_per_second);
    void clear();
    // The share of time in hooks and statistics, in [0, 1] (0 before any time was measured).
    double share() const { return share_; }
    QString text() const;

private:
    QProgressBar* bar_;
    QLabel* rate_;
    double share_ = 0;
};

// observe / (train + observe), 0 when both are 0.
double overheadShare(double train_seconds, double observe_seconds);

} // namespace nnscope::ui
