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
// "every 4th row, every 2nd column"; "every row, every 3rd column".
QString samplingText(std::int64_t row_step, std::int64_t col_step);
// A count for people: "1,204".
QString countText(std::int64_t count);
// "[-0.031, -0.027): 1,204 values", the last bin closed: "[0.5, 1]: 3 values".
QString binText(double lo, double hi, bool last, std::int64_t count);
// The text cut in the middle to at most `max_chars` characters ("layer1.0.…conv.weight").
QString elideMiddle(const QString& text, int max_chars = 80);
// Why there is nothing to plot ("empty tensor …", "no finite values …"), or empty when there is.
QString nothingToPlotReason(const session::TensorStats& stats,
                            const std::vector<std::int64_t>& shape);

} // namespace nnscope::ui
