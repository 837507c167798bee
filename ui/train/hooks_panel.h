#pragma once
// The hooks panel of the selected module: capture (the statistics every view reads) is always on;
// scale or zero the gradient, clip its norm or add noise to the input are attached without code,
// each shown with the PyTorch line that would do the same and removable through its handle (the
// session's intervention id). Below, every breakpoint of the session, each enabled or disabled with
// its check box and removable.

#include "workflows/hook_intervention.h"

#include <QWidget>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QListWidgetItem;
class QPushButton;
class QVBoxLayout;

namespace nnscope::ui {

class TrainSession;

class HooksPanel : public QWidget {
    Q_OBJECT
public:
    explicit HooksPanel(TrainSession* session, QWidget* parent = nullptr);

    // Attaches a hook of `kind` with `value` to the selected module, as the Add button does; an
    // invalid value is refused with the reason under the form (false).
    bool attach(workflows::HookIntervention::Kind kind, double value);
    // The selected module's interventions as shown, in order, and their PyTorch lines.
    const std::vector<std::uint64_t>& shownInterventions() const { return shown_; }
    QStringList shownLines() const;
    QString errorText() const;
    QListWidget* breakpointList() const { return breakpoints_; }
    // Removes the breakpoint in row `row` of the list, as its Remove button does.
    void removeBreakpoint(int row);

private:
    void showModule();
    void showBreakpoints();
    void onBreakpointChanged(QListWidgetItem* item);
    void onKindChanged();

    TrainSession* session_;
    QLabel* title_;
    QLabel* capture_;
    QWidget* rows_;
    QVBoxLayout* rows_layout_;
    QComboBox* kind_;
    QDoubleSpinBox* value_;
    QPushButton* add_;
    QLabel* error_;
    QListWidget* breakpoints_;
    QPushButton* remove_breakpoint_;
    std::vector<std::uint64_t> shown_;
    QStringList lines_;
};

} // namespace nnscope::ui
