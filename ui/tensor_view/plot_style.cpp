#include "ui/tensor_view/plot_style.h"

#include <qcustomplot.h>

namespace nnscope::ui {

void applyPalette(QCPAxis& axis, const QPalette& palette) {
    const QColor text = palette.color(QPalette::WindowText);
    QColor grid = text;
    grid.setAlpha(40);
    axis.setBasePen(QPen(text, 1));
    axis.setTickPen(QPen(text, 1));
    axis.setSubTickPen(QPen(text, 1));
    axis.setTickLabelColor(text);
    axis.setLabelColor(text);
    axis.grid()->setPen(QPen(grid, 1, Qt::DotLine));
    axis.grid()->setZeroLinePen(QPen(grid, 1));
}

void applyPalette(QCustomPlot& plot, const QPalette& palette) {
    plot.setBackground(palette.brush(QPalette::Window));
    for (QCPAxisRect* rect : plot.axisRects())
        for (QCPAxis* axis : rect->axes())
            applyPalette(*axis, palette);
    for (int i = 0; i < plot.plotLayout()->elementCount(); ++i) {
        if (auto* scale = qobject_cast<QCPColorScale*>(plot.plotLayout()->elementAt(i)))
            applyPalette(*scale->axis(), palette);
    }
}

} // namespace nnscope::ui
