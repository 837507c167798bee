#include "ui/tensor_view/plot_style.h"

#include <QEvent>
#include <QLabel>
#include <QToolTip>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

constexpr const char* kStale = "nnscope_replot_when_shown";
constexpr const char* kWatched = "nnscope_replot_filter"; // a ReplotOnShow watches the plot

// Replots a plot marked stale as it is shown, before its first paint.
class ReplotOnShow : public QObject {
public:
    using QObject::QObject;
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Show && watched->property(kStale).toBool()) {
            watched->setProperty(kStale, false);
            static_cast<QCustomPlot*>(watched)->replot(QCustomPlot::rpRefreshHint);
        }
        return false;
    }
};

} // namespace

void replotWhenShown(QCustomPlot& plot) {
    if (plot.isVisible()) {
        plot.replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    if (!plot.property(kWatched).toBool()) {
        plot.installEventFilter(new ReplotOnShow(&plot));
        plot.setProperty(kWatched, true);
    }
    plot.setProperty(kStale, true);
}

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
    // Ticks point out of the plot: inside they would draw over the heatmap's edge cells and the
    // histogram's bars.
    axis.setTickLength(0, 5);
    axis.setSubTickLength(0, 3);
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

void showHover(QLabel& line, QWidget& plot, const QString& text, const QString& hint,
               const QPoint& global) {
    line.setText(text.isEmpty() ? hint : text);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(global, text, &plot);
}

} // namespace nnscope::ui
