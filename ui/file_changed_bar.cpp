#include "ui/file_changed_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace nnscope::ui {

FileChangedBar::FileChangedBar(QWidget* parent)
    : QFrame(parent)
    , text_(new QLabel(this))
    , reload_(new QPushButton(tr("Reload"), this)) {
    setObjectName(QStringLiteral("fileChangedBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    QPalette colours = palette();
    colours.setColor(QPalette::Window, QColor(0xff, 0xf3, 0xcd)); // a warning's pale amber
    colours.setColor(QPalette::WindowText, QColor(0x66, 0x4d, 0x03));
    setPalette(colours);
    text_->setWordWrap(true);
    text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    reload_->setToolTip(tr("Open the file again, keeping the selection (F5)"));
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("×"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Hide this message"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(text_, 1);
    layout->addWidget(reload_);
    layout->addWidget(close);
    connect(reload_, &QPushButton::clicked, this, &FileChangedBar::reloadRequested);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void FileChangedBar::showChange(const QString& message) {
    text_->setText(message);
    show();
}

QString FileChangedBar::message() const {
    return text_->text();
}

} // namespace nnscope::ui
