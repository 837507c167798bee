#include "ui/indexing/refusal_panel.h"

#include <QFontDatabase>
#include <QLabel>
#include <QVBoxLayout>

namespace nnscope::ui {

RefusalPanel::RefusalPanel(QWidget* parent)
    : QFrame(parent) {
    setObjectName(QStringLiteral("refusalPanel"));
    setStyleSheet(
        QStringLiteral("#refusalPanel { border: 2px solid #c62828; border-radius: 4px; }"));
    auto* heading = new QLabel(tr("PyTorch refuses this call:"), this);
    QFont bold = heading->font();
    bold.setBold(true);
    heading->setFont(bold);
    message_ = new QLabel(this);
    message_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    message_->setWordWrap(true);
    note_ = new QLabel(this);
    note_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(heading);
    layout->addWidget(message_);
    layout->addWidget(note_);
}

void RefusalPanel::showRefusal(const QString& exception, const QString& message,
                               std::size_t bad_cells) {
    message_->setText(exception + QStringLiteral(": ") + message);
    note_->setText(
        bad_cells == 0 ? QString()
        : bad_cells == 1
            ? tr("The index value marked red is outside the input's range.")
            : tr("The %1 index values marked red are outside the input's range.").arg(bad_cells));
    note_->setVisible(bad_cells > 0);
}

QString RefusalPanel::text() const {
    return message_->text();
}

} // namespace nnscope::ui
