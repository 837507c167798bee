#pragma once
// The builder's form for one module's constructor arguments: a field per argument the registry
// lists for its type (nn::module_argument_specs), a check box for a bool and a line in Python's
// spelling for the rest (argument_text.h), the default shown greyed while the field is empty.
// Every edit is checked by building the module (nn::make_module); a refusal is shown in red under
// the field that was edited, in the engine's (PyTorch's) words, and the last valid arguments
// stay. Only valid arguments are announced.

#include "engine/nn/registry.h"

#include <QWidget>
#include <map>

class QFormLayout;
class QLabel;
class QLineEdit;
class QCheckBox;

namespace nnscope::ui {

class FieldError;

class ArgumentForm : public QWidget {
    Q_OBJECT
public:
    explicit ArgumentForm(QWidget* parent = nullptr);

    // Shows the arguments of a module of this type (a type without arguments shows a line saying
    // so); no signal.
    void setModule(const QString& type, const nn::Arguments& arguments);
    QString type() const { return type_; }
    // The last valid arguments: those given, and bools changed from their defaults.
    const nn::Arguments& arguments() const { return valid_; }

    // For tests and the page: a field's text as if typed (a bool field takes True / False).
    void setFieldText(const QString& name, const QString& text);
    QString fieldText(const QString& name) const;
    QString fieldError(const QString& name) const;

signals:
    void argumentsChanged(const nnscope::nn::Arguments& arguments);

private:
    struct Field {
        nn::ArgumentSpec spec;
        FieldError* holder = nullptr;
        QLineEdit* line = nullptr;  // all but bools
        QCheckBox* check = nullptr; // bools
        bool given = false;         // a bool given explicitly
    };
    void clear();
    void edited(const std::string& name);

    QFormLayout* layout_;
    QLabel* empty_;
    QString type_;
    std::vector<Field> fields_;
    nn::Arguments valid_;
};

} // namespace nnscope::ui
