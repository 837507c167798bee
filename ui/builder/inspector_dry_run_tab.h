#pragma once
// The builder inspector's "Dry run" tab (issue #17): the input shape as the learner types it
// ("1x1x28x28", validated as typed; float32, or int64 for an index input), the forward table
// (DryRunModel) and its totals, and a line on the rule every row follows: a container's children
// run only where a forward calls them. It asks for nothing itself: inputChanged() tells the
// inspector, which requests the job.

#include "session/builder_inspect_job.h"

#include <QWidget>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace nnscope::ui {

class DryRunModel;

class InspectorDryRunTab : public QWidget {
    Q_OBJECT
public:
    explicit InspectorDryRunTab(QWidget* parent = nullptr);

    // The shape typed, when it is one; nullopt (and the reason shown) otherwise.
    std::optional<Shape> inputShape() const;
    DType inputDType() const;
    void setInputShape(const QString& text);

    void setInspection(const session::BuilderInspectionPtr& inspection);

    DryRunModel* model() const { return model_; }
    QLineEdit* shapeEdit() const { return shape_; }
    QTableView* table() const { return table_; }
    QString footerText() const;
    QString messageText() const; // the shape's problem or the dry run's refusal; empty if none

signals:
    void inputChanged();

private:
    void validate();

    QLineEdit* shape_;
    QComboBox* dtype_;
    QLabel* message_;
    QTableView* table_;
    QLabel* footer_;
    DryRunModel* model_;
    QString shape_error_;
};

} // namespace nnscope::ui
