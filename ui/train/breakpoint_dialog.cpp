#include "ui/train/breakpoint_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <limits>

namespace nnscope::ui {

using workflows::BreakStat;
using workflows::HookKind;

BreakpointDialog::BreakpointDialog(const QString& module, QWidget* parent)
    : QDialog(parent)
    , module_(module)
    , hook_(new QComboBox(this))
    , stat_(new QComboBox(this))
    , direction_(new QComboBox(this))
    , threshold_(new QDoubleSpinBox(this))
    , summary_(new QLabel(this)) {
    setWindowTitle(tr("Break when..."));
    hook_->addItem(tr("input (forward pre-hook)"), int(HookKind::ForwardPre));
    hook_->addItem(tr("output (forward hook)"), int(HookKind::Forward));
    hook_->addItem(tr("grad_output (full backward hook)"), int(HookKind::Backward));
    hook_->addItem(tr("output grad (tensor hook on the output)"), int(HookKind::OutputGrad));
    hook_->setCurrentIndex(1);
    const std::pair<BreakStat, QString> stats[] = {
        {BreakStat::Mean, tr("mean")},
        {BreakStat::Std, tr("std")},
        {BreakStat::Min, tr("min")},
        {BreakStat::Max, tr("max")},
        {BreakStat::MaxAbs, tr("max |x|")},
        {BreakStat::ZeroFraction, tr("fraction of zeros")},
        {BreakStat::NonFinite, tr("NaN and Inf count")},
    };
    for (const auto& [stat, text] : stats)
        stat_->addItem(text, int(stat));
    stat_->setCurrentIndex(stat_->findData(int(BreakStat::MaxAbs)));
    direction_->addItem(QStringLiteral(">"), true);
    direction_->addItem(QStringLiteral("<"), false);
    threshold_->setDecimals(6);
    threshold_->setRange(-1e12, 1e12);
    threshold_->setValue(100);
    summary_->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Module"), new QLabel(module.isEmpty() ? tr("the whole model") : module, this));
    form->addRow(tr("At"), hook_);
    form->addRow(tr("Statistic"), stat_);
    auto* condition = new QHBoxLayout;
    condition->addWidget(direction_);
    condition->addWidget(threshold_, 1);
    form->addRow(tr("Stop when it is"), condition);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(summary_);
    layout->addWidget(buttons);

    for (QComboBox* box : {hook_, stat_, direction_})
        connect(box, &QComboBox::currentIndexChanged, this, &BreakpointDialog::updateSummary);
    connect(threshold_, &QDoubleSpinBox::valueChanged, this, &BreakpointDialog::updateSummary);
    updateSummary();
}

workflows::Breakpoint BreakpointDialog::breakpoint() const {
    workflows::Breakpoint b;
    b.kind = workflows::Breakpoint::Kind::Condition;
    b.module = module_.toStdString();
    b.hook = HookKind(hook_->currentData().toInt());
    b.stat = BreakStat(stat_->currentData().toInt());
    b.above = direction_->currentData().toBool();
    b.threshold = threshold_->value();
    return b;
}

void BreakpointDialog::setBreakpoint(const workflows::Breakpoint& breakpoint) {
    module_ = QString::fromStdString(breakpoint.module);
    hook_->setCurrentIndex(std::max(0, hook_->findData(int(breakpoint.hook))));
    stat_->setCurrentIndex(std::max(0, stat_->findData(int(breakpoint.stat))));
    direction_->setCurrentIndex(breakpoint.above ? 0 : 1);
    threshold_->setValue(breakpoint.threshold);
    updateSummary();
}

void BreakpointDialog::updateSummary() {
    summary_->setText(tr("Stops at the first hook firing where the %1 of %2's %3 is %4 %5.")
                          .arg(stat_->currentText(), module_.isEmpty() ? tr("the model") : module_,
                               hook_->currentText().section(QStringLiteral(" ("), 0, 0),
                               direction_->currentText(), QString::number(threshold_->value())));
}

} // namespace nnscope::ui
