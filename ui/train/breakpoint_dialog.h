#pragma once
// "Break when...": a conditional breakpoint on one module's hook, as TensorBoard's old debugger's
// "continue until" offered: stop when a statistic of the tensor there (mean, std, min, max, max
// |x|, zero fraction, non-finite count) crosses a threshold.

#include "workflows/train_breakpoints.h"

#include <QDialog>

class QComboBox;
class QDoubleSpinBox;
class QLabel;

namespace nnscope::ui {

class BreakpointDialog : public QDialog {
    Q_OBJECT
public:
    explicit BreakpointDialog(const QString& module, QWidget* parent = nullptr);

    // The Condition breakpoint the fields say.
    workflows::Breakpoint breakpoint() const;
    // Fills the fields (tests, and editing an existing one).
    void setBreakpoint(const workflows::Breakpoint& breakpoint);

private:
    void updateSummary();

    QString module_;
    QComboBox* hook_;
    QComboBox* stat_;
    QComboBox* direction_;
    QDoubleSpinBox* threshold_;
    QLabel* summary_;
};

} // namespace nnscope::ui
