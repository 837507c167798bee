#pragma once
// The value histogram of one tensor: bars over the worker's bins in value units, a statistics line,
// a bins selector (the worker recomputes, so it only asks), a log-count toggle, and the bin under
// the mouse read out: "[-0.031, -0.027): 1,204 values".

#include "session/tensor_snapshot.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QCPBars;
class QCustomPlot;
class QLabel;
class QMouseEvent;

namespace nnscope::ui {

class PlaceholderStack;

class HistogramPlot : public QWidget {
    Q_OBJECT
public:
    explicit HistogramPlot(QWidget* parent = nullptr);

    void setSnapshot(const session::TensorSnapshot& snapshot);
    void showMessage(const QString& text);

    void setLogY(bool on);
    bool logY() const;
    // The bin count the selector shows.
    int bins() const;
    // The bins of the histogram shown (the snapshot's, whatever the selector offers).
    int shownBins() const { return int(histogram_.counts.size()); }

    QCustomPlot* plot() const { return plot_; }
    QCPBars* bars() const { return bars_; }
    QString statsLine() const;
    QString message() const;

    // "[lo, hi): n values" of the bin under pos (pixels of plot()); empty outside the bins.
    QString binTextAt(const QPointF& pos) const;
    // What the hover line under the plot says now; empty when it shows its hint.
    QString hoverText() const;

    // bin_lo,bin_hi,count: one line per bin.
    QString csvText() const;

    static const QList<int>& binChoices();

signals:
    void binsRequested(int bins);

protected:
    void changeEvent(QEvent* event) override;

private:
    void rescaleCounts();
    void applyColours();
    void onMouseMove(QMouseEvent* event);
    QString hoverHint() const;

    QComboBox* bins_combo_;
    QCheckBox* log_y_;
    QLabel* stats_;
    QLabel* hover_;
    QCustomPlot* plot_;
    QCPBars* bars_;
    PlaceholderStack* stack_;
    session::Histogram histogram_;
};

} // namespace nnscope::ui
