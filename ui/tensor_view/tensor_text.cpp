#include "ui/tensor_view/tensor_text.h"

#include "engine/tensor.h"

#include <QLocale>
#include <QStringList>
#include <algorithm>
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

namespace {

QString every(std::int64_t step, const QString& what) {
    if (step <= 1) return QStringLiteral("every ") + what;
    const std::int64_t tens = step % 100;
    const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                         : step % 10 == 1           ? "st"
                         : step % 10 == 2           ? "nd"
                         : step % 10 == 3           ? "rd"
                                                    : "th";
    return QStringLiteral("every %1%2 %3").arg(step).arg(QLatin1String(suffix), what);
}

} // namespace

QString samplingText(std::int64_t row_step, std::int64_t col_step) {
    return every(row_step, QStringLiteral("row")) + QStringLiteral(", ") +
           every(col_step, QStringLiteral("column"));
}

QString countText(std::int64_t count) {
    QLocale locale(QLocale::English);
    return locale.toString(qlonglong(count));
}

QString binText(double lo, double hi, bool last, std::int64_t count) {
    return QStringLiteral("[%1, %2%3: %4 %5")
        .arg(QString::number(lo, 'g', 4), QString::number(hi, 'g', 4),
             last ? QStringLiteral("]") : QStringLiteral(")"), countText(count),
             count == 1 ? QStringLiteral("value") : QStringLiteral("values"));
}

QString elideMiddle(const QString& text, int max_chars) {
    if (text.size() <= max_chars) return text;
    const int keep = std::max(2, max_chars - 1);
    return text.left(keep / 2) + QChar(0x2026) + text.right(keep - keep / 2);
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
