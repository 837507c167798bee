#pragma once
// One 2-D slice of a tensor as a matrix picture: row 0 at the top as when printing a matrix, a
// colour scale beside it, the real tensor index and value of the cell under the mouse, and a note
// when the worker strided the slice down to keep it small.

#include "session/tensor_snapshot.h"

#include <QWidget>

class QCPColorMap;
class QCPColorScale;
class QCustomPlot;
class QLabel;
class QMouseEvent;

namespace nnscope::ui {

class PlaceholderStack;

class HeatmapPlot : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapPlot(QWidget* parent = nullptr);

    void setSnapshot(const session::TensorSnapshot& snapshot);
    void showMessage(const QString& text);

    QCustomPlot* plot() const { return plot_; }
    QCPColorMap* colorMap() const { return map_; }
    QCPColorScale* colorScale() const { return scale_; }
    // True when the gradient is the diverging one centred on 0.
    bool diverging() const { return diverging_; }
    QString message() const;
    // What the slice is ("[2, :, :] of [4, 256, 784]") and how it was strided, if it was.
    QString note() const;
    // "[i, j, row, col] = value" of the cell under pos (pixels of plot()), with real tensor
    // indices; empty outside the map.
    QString cellTextAt(const QPointF& pos) const;
    // What the hover line under the plot says now.
    QString hoverText() const;

    void exportPng(const QString& path);
    void exportPdf(const QString& path);
    // The matrix with its real indices: a header of column indices, then one line per row starting
    // with its row index.
    void exportCsv(const QString& path) const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColours();
    void onMouseMove(QMouseEvent* event);

    QLabel* note_;
    QLabel* hover_;
    QCustomPlot* plot_;
    QCPColorMap* map_;
    QCPColorScale* scale_;
    PlaceholderStack* stack_;
    session::Slice2D slice_;
    std::vector<std::int64_t> shape_;
    double finite_min_ = 0, finite_max_ = 0;
    bool diverging_ = false;
};

} // namespace nnscope::ui
