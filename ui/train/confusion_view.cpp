#include "ui/train/confusion_view.h"

#include "ui/lab/lab_plot.h"
#include "ui/tensor_view/colour_scale.h"
#include "ui/tensor_view/plot_style.h"

#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {
constexpr std::int64_t kMaxWrittenClasses = 12;
}

ConfusionView::ConfusionView(QWidget* parent)
    : QWidget(parent)
    , plot_(new LabPlot(QStringLiteral("confusion"), this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(plot_);
    QCustomPlot& p = *plot_->plot();
    map_ = new QCPColorMap(p.xAxis, p.yAxis);
    map_->setInterpolate(false);
    map_->setTightBoundary(false);
    ColourScale colours = chooseColourScale(0, 1, palette());
    map_->setGradient(colours.gradient);
    p.xAxis->setLabel(tr("predicted"));
    p.yAxis->setLabel(tr("true"));
    p.yAxis->setRangeReversed(true); // class 0 at the top, as a printed matrix
    p.xAxis->grid()->setVisible(false);
    p.yAxis->grid()->setVisible(false);
    applyPalette(p, palette());
    plot_->setHover([this](const QPointF& pos) { return hoverText(pos); },
                    tr("Point at a cell to read it"));
    plot_->setCsv([this] {
        QString csv = QStringLiteral("true,predicted,count\n");
        const std::int64_t n = evaluation_.classes;
        for (std::int64_t t = 0; t < n; ++t)
            for (std::int64_t q = 0; q < n; ++q)
                csv += QStringLiteral("%1,%2,%3\n").arg(t).arg(q).arg(count(t, q));
        return csv;
    });
    clear();
}

void ConfusionView::clear() {
    evaluation_ = {};
    names_.clear();
    plot_->showMessage(tr("The confusion matrix appears after the first evaluation of the test "
                          "split."));
}

std::int64_t ConfusionView::count(std::int64_t truth, std::int64_t predicted) const {
    const std::int64_t n = evaluation_.classes;
    if (truth < 0 || predicted < 0 || truth >= n || predicted >= n) return -1;
    const auto i = static_cast<std::size_t>(truth * n + predicted);
    return i < evaluation_.confusion.size() ? evaluation_.confusion[i] : -1;
}

void ConfusionView::setEvaluation(const workflows::EvalRecord& evaluation,
                                  const std::vector<std::string>& class_names) {
    const std::int64_t n = evaluation.classes;
    if (n <= 0 || evaluation.confusion.size() != static_cast<std::size_t>(n * n)) {
        clear();
        plot_->showMessage(tr("This evaluation has no confusion matrix."));
        return;
    }
    evaluation_ = evaluation;
    names_ = class_names;
    QCustomPlot& p = *plot_->plot();
    p.clearItems();
    map_->data()->setSize(static_cast<int>(n), static_cast<int>(n));
    map_->data()->setRange(QCPRange(0, double(n - 1)), QCPRange(0, double(n - 1)));
    std::int64_t most = 1, right = 0;
    for (std::int64_t t = 0; t < n; ++t) {
        for (std::int64_t q = 0; q < n; ++q) {
            const std::int64_t c = count(t, q);
            most = std::max(most, c);
            if (t == q) right += c;
        }
    }
    // A square root scale: the off-diagonal mistakes stay visible beside a large diagonal.
    for (std::int64_t t = 0; t < n; ++t)
        for (std::int64_t q = 0; q < n; ++q)
            map_->data()->setCell(static_cast<int>(q), static_cast<int>(t),
                                  std::sqrt(double(count(t, q))));
    map_->setDataRange(QCPRange(0, std::sqrt(double(most))));
    if (n <= kMaxWrittenClasses) {
        for (std::int64_t t = 0; t < n; ++t)
            for (std::int64_t q = 0; q < n; ++q) {
                auto* text = new QCPItemText(&p);
                text->position->setCoords(double(q), double(t));
                text->setText(QString::number(count(t, q)));
                // Dark text on a light cell, light text on a dark one.
                const QColor cell = QColor::fromRgb(
                    map_->gradient().color(std::sqrt(double(count(t, q))), map_->dataRange()));
                const double luma =
                    0.299 * cell.redF() + 0.587 * cell.greenF() + 0.114 * cell.blueF();
                text->setColor(luma > 0.5 ? Qt::black : Qt::white);
            }
    }
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (std::int64_t i = 0; i < n; ++i)
        ticker->addTick(double(i),
                        n <= kMaxWrittenClasses ? classText(i, names_) : QString::number(i));
    p.xAxis->setTicker(ticker);
    p.yAxis->setTicker(ticker);
    p.xAxis->setTickLabelRotation(n > 4 ? 40 : 0);
    p.xAxis->setRange(-0.5, double(n) - 0.5);
    p.yAxis->setRange(-0.5, double(n) - 0.5);
    const std::int64_t total = evaluation.samples > 0 ? evaluation.samples : 1;
    plot_->setNote(tr("Step %1: %2 of %3 test samples right (%4%); rows true, columns predicted")
                       .arg(evaluation.step)
                       .arg(right)
                       .arg(evaluation.samples)
                       .arg(100.0 * double(right) / double(total), 0, 'f', 1));
    plot_->setExportTitle(tr("Confusion matrix at step %1").arg(evaluation.step));
    plot_->showPlot();
}

QString ConfusionView::hoverText(const QPointF& pos) const {
    if (evaluation_.classes <= 0) return {};
    const QCustomPlot& p = *plot_->plot();
    const auto q = static_cast<std::int64_t>(std::lround(p.xAxis->pixelToCoord(pos.x())));
    const auto t = static_cast<std::int64_t>(std::lround(p.yAxis->pixelToCoord(pos.y())));
    const std::int64_t c = count(t, q);
    if (c < 0) return {};
    return tr("true %1, predicted %2: %3").arg(classText(t, names_), classText(q, names_)).arg(c);
}

} // namespace nnscope::ui
