#include "ui/tensor_view/placeholder_stack.h"

#include <QLabel>

namespace nnscope::ui {

PlaceholderStack::PlaceholderStack(QWidget* content, QWidget* parent)
    : QStackedWidget(parent)
    , content_(content)
    , label_(new QLabel(this)) {
    label_->setAlignment(Qt::AlignCenter);
    label_->setWordWrap(true);
    // The sentence may hold a file's words (a 530-character tensor name): it wraps or is cut, and
    // never widens the window.
    label_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    label_->setTextFormat(Qt::PlainText);
    QFont font = label_->font();
    font.setPointSizeF(font.pointSizeF() * 1.2);
    label_->setFont(font);
    label_->setForegroundRole(QPalette::PlaceholderText);
    addWidget(content_);
    addWidget(label_);
}

void PlaceholderStack::showMessage(const QString& text) {
    label_->setText(text);
    setCurrentWidget(label_);
}

void PlaceholderStack::showContent() {
    label_->clear();
    setCurrentWidget(content_);
}

QString PlaceholderStack::message() const {
    return isMessageShown() ? label_->text() : QString();
}

bool PlaceholderStack::isMessageShown() const {
    return currentWidget() == label_;
}

} // namespace nnscope::ui
