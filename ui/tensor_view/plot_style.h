#pragma once
// Takes a plot's colours from the widget palette (background, axes, text, grid) so the plots look
// right in light and dark themes and follow a palette change at run time.

#include <QPalette>

class QCustomPlot;
class QCPAxis;
class QCPColorScale;

namespace nnscope::ui {

void applyPalette(QCustomPlot& plot, const QPalette& palette);
void applyPalette(QCPAxis& axis, const QPalette& palette);

} // namespace nnscope::ui
