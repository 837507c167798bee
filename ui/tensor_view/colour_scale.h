#pragma once
// How numbers become colours in the heatmap and the kernel grid: a diverging gradient centred on 0
// when the data has both signs (so 0 is always the neutral colour and equal magnitudes look equally
// strong), a sequential one otherwise. The neutral centre follows the palette, so a dark window
// does not get a glaring white middle.

#include <QPalette>
#include <qcustomplot.h>

namespace nnscope::ui {

struct ColourScale {
    QCPColorGradient gradient;
    QCPRange range;
    bool diverging = false;
};

// min/max over the finite values to be shown (NaN when there are none: a neutral scale results).
ColourScale chooseColourScale(double min, double max, const QPalette& palette);

// Where the ends of the scale come from: the values of the slice (or kernels) on screen, or the
// whole tensor's smallest and largest finite value (so slices of one tensor compare).
enum class ColourMode { PerSlice, PerTensor };

// The legend's words for a scale: "colour per slice, symmetric: -0.53 to 0.53 (±max |value|)".
// `what` names the per-slice extent ("slice", "kernels shown").
QString colourScaleText(const ColourScale& scale, ColourMode mode, const QString& what);

// Colour of NaN cells: loud on purpose, and absent from both gradients.
QColor nanColour();

// True when the palette's window is dark (so plots pick their dark variants).
bool isDark(const QPalette& palette);

} // namespace nnscope::ui
