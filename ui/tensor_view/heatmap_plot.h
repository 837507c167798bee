#pragma once
// One 2-D slice of a tensor as a matrix picture: row 0 at the top as when printing a matrix, a
// colour scale beside it (per slice or per tensor, its legend says which), the real tensor index
// and value of the cell under the mouse. The snapshot brings an overview, strided down when the
// slice is large; zooming in asks for the visible window at full resolution (windowWanted), drawn
// over the overview when it arrives.

#include "session/tensor_snapshot.h"
#include "ui/tensor_view/colour_scale.h"

#include <QTimer>
#include <QWidget>
#include <optional>

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
    // Values in one window request at most: more are strided down again.
    static constexpr std::int64_t kWindowElements = 512 * 512;
    static constexpr int kWindowDebounceMs = 150;

    explicit HeatmapPlot(QWidget* parent = nullptr);

    // Keeps the zoom and the full-resolution window when the snapshot shows the same slice of
    // the same tensor (another bin count), starts afresh otherwise.
    void setSnapshot(const session::TensorSnapshot& snapshot);
    // Values of the window asked for with windowWanted; ignored unless they belong to the slice
    // shown.
    void setWindow(const session::Slice2D& window);
    void showMessage(const QString& text);

    void setColourMode(ColourMode mode);
    ColourMode colourMode() const { return mode_; }

    QCustomPlot* plot() const { return plot_; }
    QCPColorMap* colorMap() const { return map_; }
    QCPColorMap* windowMap() const { return window_map_; }
    QCPColorScale* colorScale() const { return scale_; }
    const session::Slice2D& slice() const { return slice_; }
    const session::Slice2D& window() const { return window_; }
    // True when the gradient is the diverging one centred on 0.
    bool diverging() const { return colours_.diverging; }
    QString message() const;
    // What the slice is ("Slice [2, :, :] of [4, 256, 784]"), how it was sampled, which window is
    // at full resolution and what the colours mean.
    QString note() const;
    QString legendText() const;
    // "[i, j, row, col] = value" of the cell under pos (pixels of plot()), with real tensor
    // indices, and how the value was read when it comes from a sampled overview; empty outside.
    QString cellTextAt(const QPointF& pos) const;
    // What the hover line under the plot says now.
    QString hoverText() const;
    // The window of the slice the axes show now, in real rows and columns.
    session::SliceWindow visibleWindow() const;
    // Asks for the visible window now instead of after the debounce (tests, export).
    void requestVisibleWindow();

signals:
    void windowWanted(nnscope::session::SliceWindow window);

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyColours();
    void updateColourScale();
    void updateNote();
    QString hoverHint() const;
    void onMouseMove(QMouseEvent* event);

    QLabel* note_;
    QLabel* hover_;
    QCustomPlot* plot_;
    QCPColorMap* map_;
    QCPColorMap* window_map_;
    QCPColorScale* scale_;
    PlaceholderStack* stack_;
    QTimer window_timer_;
    std::string name_;
    session::Slice2D slice_;  // the overview
    session::Slice2D window_; // the full-resolution window over it; empty when none
    std::optional<session::SliceWindow> asked_;
    std::vector<std::int64_t> shape_;
    double tensor_min_ = 0, tensor_max_ = 0;
    std::int64_t nan_ = 0, inf_ = 0;
    ColourMode mode_ = ColourMode::PerSlice;
    ColourScale colours_;
};

} // namespace nnscope::ui
