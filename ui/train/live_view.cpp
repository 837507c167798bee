#include "ui/train/live_view.h"

namespace nnscope::ui {

void LiveView::refresh() {
    stale_ = true;
    if (isVisible()) redraw();
}

void LiveView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (stale_) redraw();
}

void LiveView::redraw() {
    stale_ = false;
    ++redraws_;
    draw();
}

} // namespace nnscope::ui
