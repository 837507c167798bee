#pragma once
// The builder's table of a module's own extra tensors (nn::TensorDeclaration), as a subclass's
// __init__ declares them: name, parameter or buffer, persistent (a buffer's: False keeps it out of
// the state_dict), requires_grad (a parameter's), shape, dtype, init, and the fill value or the
// values where the init takes them. Every edit is checked (the declaration's own consistency, then
// the validator the page sets, which builds the module); a refusal is shown under the table and
// the last valid declarations stay.

#include "engine/nn/declared_tensor.h"

#include <QWidget>
#include <functional>

class QLabel;
class QTableWidget;

namespace nnscope::ui {

class TensorTable : public QWidget {
    Q_OBJECT
public:
    enum Column { Name, Kind, Persistent, RequiresGrad, Shape, DTypeColumn, Init, Value, Count };

    explicit TensorTable(QWidget* parent = nullptr);

    // "" when the declarations build, else why not.
    using Validator = std::function<QString(const std::vector<nn::TensorDeclaration>&)>;
    void setValidator(Validator validator) { validator_ = std::move(validator); }

    // No signal.
    void setTensors(const std::vector<nn::TensorDeclaration>& tensors);
    const std::vector<nn::TensorDeclaration>& tensors() const { return valid_; }
    QString error() const;
    QTableWidget* table() const { return table_; }

    // A new row: a parameter "p<N>" of shape [1], zeros (announced if valid).
    void addTensor();
    void removeSelected();

signals:
    void tensorsChanged(const std::vector<nnscope::nn::TensorDeclaration>& tensors);

private:
    void appendRow(const nn::TensorDeclaration& declaration);
    void edited();
    // Throws std::invalid_argument naming the row's problem.
    nn::TensorDeclaration rowDeclaration(int row) const;
    void updateEnabled(int row);

    QTableWidget* table_;
    QLabel* error_;
    Validator validator_;
    std::vector<nn::TensorDeclaration> valid_;
    bool filling_ = false;
};

} // namespace nnscope::ui
