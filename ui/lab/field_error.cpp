#include "ui/lab/field_error.h"

#include <QFrame>
#include <QLabel>
#include <QVBoxLayout>

namespace nnscope::ui {

FieldError::FieldError(QWidget* editor, QWidget* parent)
    : QWidget(parent)
    , editor_(editor) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(1);
    // The outline is a frame around the editor (1 px of room kept when there is none), so that
    // the style sheet reaches no widget inside the editor.
    frame_ = new QFrame(this);
    frame_->setObjectName(QStringLiteral("fieldFrame"));
    auto* inside = new QVBoxLayout(frame_);
    inside->setContentsMargins(1, 1, 1, 1);
    inside->addWidget(editor_);
    layout->addWidget(frame_);
    label_ = new QLabel(this);
    label_->setObjectName(QStringLiteral("fieldError"));
    label_->setWordWrap(true);
    label_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label_->setStyleSheet(QStringLiteral("color: #d04040;"));
    label_->hide();
    layout->addWidget(label_);
}

void FieldError::setError(const QString& message) {
    if (message == label_->text()) return;
    label_->setText(message);
    label_->setVisible(!message.isEmpty());
    frame_->setStyleSheet(message.isEmpty()
                              ? QString()
                              : QStringLiteral("#fieldFrame { border: 1px solid #d04040; }"));
}

QString FieldError::error() const {
    return label_->text();
}

} // namespace nnscope::ui
