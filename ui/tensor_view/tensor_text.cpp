#include "ui/tensor_view/tensor_text.h"

#include "engine/tensor.h"

#include <QStringList>
#include <cmath>

namespace nnscope::ui {

QString shapeText(const std::vector<std::int64_t>& shape) {
    return QString::fromStdString(shape_to_string(shape));
}

QString valueText(double value) {
    if (std::isnan(value)) return QStringLiteral("nan");
    if (std::isinf(value)) return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(value, 'g', 4);
}

QString statsText(const session::TensorStats& s) {
    QString text;
    if (s.finite > 0) {
        text = QStringLiteral("min %1   max %2   mean %3   std %4")
                   .arg(valueText(s.min), valueText(s.max), valueText(s.mean), valueText(s.std));
    } else {
        text = QStringLiteral("no finite values");
    }
    text += QStringLiteral("   ·   NaN %1   +Inf %2   -Inf %3   ·   %4 elements")
                .arg(s.nan)
                .arg(s.pos_inf)
                .arg(s.neg_inf)
                .arg(s.numel);
    return text;
}

QString nothingToPlotReason(const session::TensorStats& stats,
                            const std::vector<std::int64_t>& shape) {
    if (stats.numel == 0)
        return QStringLiteral("Empty tensor: shape %1 has no elements.").arg(shapeText(shape));
    if (stats.finite == 0)
        return QStringLiteral("No finite values: %1 NaN, %2 +Inf, %3 -Inf of %4 elements.")
            .arg(stats.nan)
            .arg(stats.pos_inf)
            .arg(stats.neg_inf)
            .arg(stats.numel);
    return {};
}

} // namespace nnscope::ui
