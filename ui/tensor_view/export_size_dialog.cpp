#include "ui/tensor_view/export_size_dialog.h"

#include <QCoreApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QSpinBox>

namespace nnscope::ui {

std::optional<QSize> askExportSize(QWidget* parent, QSize on_screen) {
    auto tr = [](const char* text) { return QCoreApplication::translate("ExportSize", text); };
    QDialog dialog(parent);
    dialog.setWindowTitle(tr("Image size"));
    auto* width = new QSpinBox(&dialog);
    auto* height = new QSpinBox(&dialog);
    for (QSpinBox* box : {width, height}) {
        box->setRange(64, 16384);
        box->setSuffix(tr(" px"));
    }
    width->setValue(on_screen.width());
    height->setValue(on_screen.height());
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    QObject::connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    QObject::connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* form = new QFormLayout(&dialog);
    form->addRow(tr("&Width"), width);
    form->addRow(tr("&Height"), height);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return QSize(width->value(), height->value());
}

} // namespace nnscope::ui
