#pragma once
// The value histogram of one tensor: bars over the worker's bins in value units, a statistics line,
// a bins selector (the worker recomputes, so it only asks) and a log-count toggle.

#include "session/tensor_snapshot.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QCPBars;
class QCustomPlot;
class QLabel;

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

    QCustomPlot* plot() const { return plot_; }
    QCPBars* bars() const { return bars_; }
    QString statsLine() const;
    QString message() const;

    void exportPng(const QString& path);
    void exportPdf(const QString& path);
    // bin_lo,bin_hi,count: one line per bin.
    void exportCsv(const QString& path) const;

    static const QList<int>& binChoices();

signals:
    void binsRequested(int bins);

protected:
    void changeEvent(QEvent* event) override;

private:
    void rescaleCounts();
    void applyColours();

    QComboBox* bins_combo_;
    QCheckBox* log_y_;
    QLabel* stats_;
    QCustomPlot* plot_;
    QCPBars* bars_;
    PlaceholderStack* stack_;
    session::Histogram histogram_;
};

} // namespace nnscope::ui
