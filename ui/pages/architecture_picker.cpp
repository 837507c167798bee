#include "ui/pages/architecture_picker.h"

#include "vision/torchvision_models.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace nnscope::ui {

ArchitecturePicker::ArchitecturePicker(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    combo_ = new QComboBox(this);
    combo_->setObjectName(QStringLiteral("architectureCombo"));
    combo_->setEditable(true);
    combo_->setInsertPolicy(QComboBox::NoInsert);
    combo_->addItem(QString());
    for (const std::string& name : vision::torchvision_model_names())
        combo_->addItem(QStringLiteral("torchvision:") + QString::fromStdString(name));
    combo_->lineEdit()->setPlaceholderText(tr("the file's own modules"));
    combo_->setToolTip(tr("A state_dict holds tensors but no modules to run them: pair it with "
                          "an architecture, a torchvision model or a native model file (its "
                          "architecture and seed). Empty: the file's own modules."));
    combo_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    combo_->setMinimumContentsLength(3);
    browse_ = new QPushButton(tr("…"), this);
    browse_->setToolTip(tr("Choose a native model file as the architecture"));
    browse_->setFixedWidth(fontMetrics().horizontalAdvance(QStringLiteral("……")) + 16);
    layout->addWidget(combo_, 1);
    layout->addWidget(browse_);
    // One line with the combo: the pane is narrow at 1024 px.
    strict_ = new QCheckBox(tr("strict"), this);
    strict_->setChecked(true);
    strict_->setToolTip(tr("load_state_dict(strict=True) refuses missing and unexpected keys; "
                           "unchecked, they are reported and the rest is loaded. A shape that "
                           "differs is refused either way."));
    layout->addWidget(strict_);
    connect(browse_, &QPushButton::clicked, this, [this] { browse(); });
}

std::string ArchitecturePicker::architecture() const {
    return combo_->currentText().trimmed().toStdString();
}

void ArchitecturePicker::setArchitecture(const QString& architecture) {
    combo_->setCurrentText(architecture);
}

bool ArchitecturePicker::strict() const {
    return strict_->isChecked();
}

void ArchitecturePicker::setStrict(bool strict) {
    strict_->setChecked(strict);
}

void ArchitecturePicker::browse() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Architecture: a native model file"), combo_->currentText(),
        tr("Native models (*.safetensors);;All files (*)"));
    if (!path.isEmpty()) combo_->setCurrentText(path);
}

} // namespace nnscope::ui
