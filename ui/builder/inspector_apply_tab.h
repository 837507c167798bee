#pragma once
// The builder inspector's "apply" tab (issue #17): the rules of an init function edited as a
// table (ApplyRulesModel, with combo boxes for the module type and the scheme), Apply, the steps
// in the order Module.apply visits the modules (children first, then the module) with the call
// each rule made or why it was skipped, the same rules as PyTorch code, and the histograms
// before and after of the tensor selected in the steps (or chosen in the tensor box).

#include "session/builder_inspect_job.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTreeWidget;

namespace nnscope::ui {

class ApplyRulesModel;
class BeforeAfterHistogram;

class InspectorApplyTab : public QWidget {
    Q_OBJECT
public:
    // Key of a step tree item's tensor (a call that changed one), as Qt::UserRole data.
    static constexpr int KeyRole = Qt::UserRole + 1;

    explicit InspectorApplyTab(QWidget* parent = nullptr);

    void setInspection(const session::BuilderInspectionPtr& inspection);
    // The rules the shown steps ran; Apply reads "Apply (edited)" while the table differs.
    void setAppliedRules(const std::vector<workflows::InitRule>& rules);
    // Shows `key`'s histograms (a state_dict key with values); false when it has none.
    bool selectTensor(const QString& key);

    ApplyRulesModel* rules() const { return rules_; }
    QPushButton* applyButton() const { return apply_; }
    QTreeWidget* steps() const { return steps_; }
    QString scriptText() const;
    QString messageText() const;
    BeforeAfterHistogram* histogram() const { return histogram_; }

signals:
    void applyRequested(); // Apply pressed: run the rules as they are now

private:
    void showTensor(const QString& key);
    void markEdited();

    ApplyRulesModel* rules_;
    QTableView* rules_view_;
    QPushButton* add_;
    QPushButton* remove_;
    QPushButton* apply_;
    QLabel* message_;
    QTreeWidget* steps_;
    QComboBox* tensor_;
    BeforeAfterHistogram* histogram_;
    QPlainTextEdit* script_;
    session::BuilderInspectionPtr inspection_;
    std::vector<workflows::InitRule> applied_;
};

} // namespace nnscope::ui
