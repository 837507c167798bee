#pragma once
// Takes a plot's colours from the widget palette (background, axes, text, grid) so the plots look
// right in light and dark themes and follow a palette change at run time.

#include <QPalette>

class QCustomPlot;
class QLabel;
class QWidget;
class QCPAxis;
class QCPColorScale;

namespace nnscope::ui {

void applyPalette(QCustomPlot& plot, const QPalette& palette);
void applyPalette(QCPAxis& axis, const QPalette& palette);

// A queued replot when the plot is on screen; otherwise one when it is next shown. QCustomPlot
// renders hidden plots too, and a replot costs the GUI thread 10-20 ms: the tab nobody looks at
// should not add that to every snapshot.
void replotWhenShown(QCustomPlot& plot);

// What the mouse points at, in the hover line under a plot and in a tooltip; the line shows
// `hint` (and the tooltip goes) when it points at nothing.
void showHover(QLabel& line, QWidget& plot, const QString& text, const QString& hint,
               const QPoint& global);

} // namespace nnscope::ui
