#include "ui/train/band_plot_brush.h"

#include "ui/train/train_session.h"

#include <algorithm>
#include <cmath>
#include <qcustomplot.h>

namespace nnscope::ui {

StepBrush::StepBrush(QCustomPlot* plot, TrainSession* session)
    : QObject(plot)
    , plot_(plot)
    , session_(session) {
    plot_->setSelectionRectMode(QCP::srmCustom);
    connect(plot_->selectionRect(), &QCPSelectionRect::accepted, this,
            [this](const QRect& rect, QInputEvent*) { brushPixels(rect.left(), rect.right()); });
    connect(plot_, &QCustomPlot::mousePress, this, &StepBrush::onPress);
    connect(plot_, &QCustomPlot::mouseRelease, this, &StepBrush::onRelease);
    connect(plot_, &QCustomPlot::mouseDoubleClick, this,
            [this](QMouseEvent*) { session_->setStepRange(std::nullopt); });
    plot_->setToolTip(tr("Drag across steps to zoom every plot to them; double-click to see all "
                         "steps"));
}

void StepBrush::brushPixels(double x0, double x1) {
    const double a = plot_->xAxis->pixelToCoord(std::min(x0, x1));
    const double b = plot_->xAxis->pixelToCoord(std::max(x0, x1));
    const auto first = std::int64_t(std::ceil(std::max(a, 0.0)));
    const auto last = std::int64_t(std::floor(std::max(b, 0.0)));
    if (last <= first) {
        emit stepClicked(std::int64_t(std::llround(std::max((a + b) / 2, 0.0))));
        return;
    }
    session_->setStepRange(std::make_pair(first, last));
}

void StepBrush::onPress(QMouseEvent* event) {
    pressed_ = event->pos();
}

void StepBrush::onRelease(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton ||
        (event->pos() - pressed_).manhattanLength() > QApplication::startDragDistance())
        return;
    const double x = plot_->xAxis->pixelToCoord(event->pos().x());
    emit stepClicked(std::int64_t(std::llround(std::max(x, 0.0))));
}

void applyStepRange(QCPAxis& axis, const TrainSession& session, double first, double last) {
    if (const auto range = session.stepRange()) {
        first = double(range->first);
        last = double(range->second);
    }
    const double margin = std::max(0.5, 0.02 * (last - first));
    axis.setRange(first - margin, last + margin);
}

} // namespace nnscope::ui
