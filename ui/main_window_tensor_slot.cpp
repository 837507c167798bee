// Placeholder for the tensor view: a text rendering of the snapshot (statistics and a one-line
// histogram) until nnscope::ui::TensorView is merged in; then these three functions create,
// feed and connect a TensorView instead.

#include "ui/tensor_slot.h"

#include <QFontDatabase>
#include <QLabel>
#include <QStringList>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace nnscope::ui {

namespace {

QString sparkline(const std::vector<std::int64_t>& counts) {
    static const QString blocks =
        QStringLiteral(" \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588");
    const std::int64_t peak = counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end());
    QString line;
    for (const std::int64_t c : counts) {
        const auto level = peak == 0 ? 0
                                     : static_cast<int>(std::ceil(8.0 * static_cast<double>(c) /
                                                                  static_cast<double>(peak)));
        line += blocks.at(level);
    }
    return line;
}

} // namespace

QWidget* createTensorView(QWidget* parent) {
    auto* view = new QWidget(parent);
    view->setObjectName(QStringLiteral("tensorView"));
    auto* layout = new QVBoxLayout(view);
    auto* label = new QLabel(QObject::tr("Select a tensor to see its values."), view);
    label->setObjectName(QStringLiteral("tensorViewText"));
    label->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    label->setWordWrap(true);
    layout->addWidget(label);
    return view;
}

void showTensorSnapshot(QWidget* view, const session::TensorSnapshot& s) {
    auto* label = view->findChild<QLabel*>(QStringLiteral("tensorViewText"));
    if (!label) return;
    QStringList shape;
    for (const std::int64_t d : s.shape)
        shape << QString::number(d);
    const auto& h = s.histogram;
    QStringList lines;
    lines << QStringLiteral("%1  [%2]  %3  %4")
                 .arg(QString::fromStdString(s.name), shape.join(QStringLiteral(", ")),
                      QString::fromStdString(s.dtype), QString::fromStdString(s.role));
    lines << QStringLiteral("min %1   max %2   mean %3   std %4")
                 .arg(s.stats.min, 0, 'g', 6)
                 .arg(s.stats.max, 0, 'g', 6)
                 .arg(s.stats.mean, 0, 'g', 6)
                 .arg(s.stats.std, 0, 'g', 6);
    lines << QStringLiteral("%1 finite, %2 NaN, %3 inf")
                 .arg(s.stats.finite)
                 .arg(s.stats.nan)
                 .arg(s.stats.pos_inf + s.stats.neg_inf);
    lines << QString();
    lines << QObject::tr("histogram, %1 bins over [%2, %3]")
                 .arg(h.counts.size())
                 .arg(h.lo, 0, 'g', 5)
                 .arg(h.hi, 0, 'g', 5);
    lines << sparkline(h.counts);
    label->setText(lines.join(QLatin1Char('\n')));
}

void connectTensorView(QWidget*, std::function<void(std::vector<std::int64_t>)>,
                       std::function<void(int)>) {
    // The placeholder asks for nothing.
}

} // namespace nnscope::ui
