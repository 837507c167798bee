#pragma once
// How the tensor view words things: shapes, indices, statistics and the reason a plot is empty.
// One place, so the histogram, heatmap and kernel grid say them the same way.

#include "session/tensor_snapshot.h"

#include <QString>
#include <cstdint>
#include <vector>

namespace nnscope::ui {

// "[256, 784]"; "[]" for a 0-D tensor.
QString shapeText(const std::vector<std::int64_t>& shape);
// A value for people: 4 significant digits, "nan", "inf", "-inf".
QString valueText(double value);
// "min … max … mean … std …  ·  NaN n  +Inf n  -Inf n  ·  n elements"
QString statsText(const session::TensorStats& stats);
// Why there is nothing to plot ("empty tensor …", "no finite values …"), or empty when there is.
QString nothingToPlotReason(const session::TensorStats& stats,
                            const std::vector<std::int64_t>& shape);

} // namespace nnscope::ui
