#include "ui/pages/train_page_panels.h"

#include <QVBoxLayout>

namespace nnscope::ui {

LazyPanel::LazyPanel(Factory make, QWidget* parent)
    : QWidget(parent)
    , make_(std::move(make)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
}

QWidget* LazyPanel::ensureBuilt() {
    if (!content_) {
        content_ = make_(this);
        layout()->addWidget(content_);
        emit built(content_);
    }
    return content_;
}

void LazyPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    ensureBuilt();
}

} // namespace nnscope::ui
