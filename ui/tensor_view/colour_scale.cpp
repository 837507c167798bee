#include "ui/tensor_view/colour_scale.h"

#include <QCoreApplication>
#include <algorithm>
#include <cmath>

namespace nnscope::ui {

namespace {

QCPColorGradient sequential() {
    // viridis, sampled at five points: perceptually uniform and readable on light and dark.
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.00, QColor(0x44, 0x01, 0x54));
    g.setColorStopAt(0.25, QColor(0x3b, 0x52, 0x8b));
    g.setColorStopAt(0.50, QColor(0x21, 0x90, 0x8c));
    g.setColorStopAt(0.75, QColor(0x5e, 0xc9, 0x62));
    g.setColorStopAt(1.00, QColor(0xfd, 0xe7, 0x25));
    return g;
}

QCPColorGradient diverging(bool dark) {
    // ColorBrewer RdBu (blue negative, red positive); on dark windows the centre is dark so that
    // small values recede into the background as they do on light ones.
    QCPColorGradient g;
    g.clearColorStops();
    if (dark) {
        g.setColorStopAt(0.00, QColor(0x67, 0xa9, 0xff));
        g.setColorStopAt(0.25, QColor(0x2c, 0x5f, 0x9e));
        g.setColorStopAt(0.50, QColor(0x26, 0x26, 0x2a));
        g.setColorStopAt(0.75, QColor(0xa8, 0x3a, 0x32));
        g.setColorStopAt(1.00, QColor(0xff, 0x7a, 0x5c));
    } else {
        g.setColorStopAt(0.00, QColor(0x21, 0x66, 0xac));
        g.setColorStopAt(0.25, QColor(0x67, 0xa9, 0xcf));
        g.setColorStopAt(0.50, QColor(0xf7, 0xf7, 0xf7));
        g.setColorStopAt(0.75, QColor(0xef, 0x8a, 0x62));
        g.setColorStopAt(1.00, QColor(0xb2, 0x18, 0x2b));
    }
    return g;
}

} // namespace

QColor nanColour() {
    return QColor(0xff, 0x00, 0xff);
}

bool isDark(const QPalette& palette) {
    return palette.color(QPalette::Window).lightness() < 128;
}

QString colourScaleText(const ColourScale& scale, ColourMode mode, const QString& what) {
    const QString source =
        mode == ColourMode::PerTensor
            ? QCoreApplication::translate("ColourScale", "colour per tensor")
            : QCoreApplication::translate("ColourScale", "colour per %1").arg(what);
    const QString lo = QString::number(scale.range.lower, 'g', 4);
    const QString hi = QString::number(scale.range.upper, 'g', 4);
    if (scale.diverging)
        return QCoreApplication::translate("ColourScale",
                                           "%1, symmetric: %2 to %3 (±max |value|, 0 neutral)")
            .arg(source, lo, hi);
    return QCoreApplication::translate("ColourScale", "%1: %2 to %3 (min to max)")
        .arg(source, lo, hi);
}

ColourScale chooseColourScale(double min, double max, const QPalette& palette) {
    ColourScale scale;
    if (!std::isfinite(min) || !std::isfinite(max)) {
        min = 0;
        max = 0;
    }
    scale.diverging = min < 0 && max > 0;
    if (scale.diverging) {
        const double m = std::max(-min, max);
        scale.gradient = diverging(isDark(palette));
        scale.range = QCPRange(-m, m);
    } else {
        scale.gradient = sequential();
        // A constant slice still needs a non-empty range; its one value sits mid-scale.
        const double pad = min == max ? std::max(std::abs(min) * 0.5, 0.5) : 0.0;
        scale.range = QCPRange(min - pad, max + pad);
    }
    scale.gradient.setLevelCount(256);
    scale.gradient.setNanHandling(QCPColorGradient::nhNanColor);
    scale.gradient.setNanColor(nanColour());
    return scale;
}

} // namespace nnscope::ui
