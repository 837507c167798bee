#pragma once
// One tensor across a folder of checkpoints as lines: mean, std, min, max and norm on the left
// axis, the change from the previous checkpoint (dashed) on the right one, checkpoints along x
// by their file names. Missing points (a checkpoint without the tensor) leave gaps.

#include "workflows/checkpoint_series.h"

#include <QWidget>

class QCustomPlot;

namespace nnscope::ui {

class PlaceholderStack;

class CompareSeriesPlot : public QWidget {
    Q_OBJECT
public:
    explicit CompareSeriesPlot(QWidget* parent = nullptr);

    void setSeries(const workflows::TensorSeries& tensor, const std::vector<std::string>& files);
    void showMessage(const QString& text);

    QCustomPlot* plot() const { return plot_; }
    // The lines drawn (mean, std, min, max, norm, change), empty when a message is shown.
    int lineCount() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColours();

    QCustomPlot* plot_;
    PlaceholderStack* stack_;
};

} // namespace nnscope::ui
