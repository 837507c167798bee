#include "ui/builder/argument_form.h"

#include "ui/builder/argument_text.h"
#include "ui/lab/field_error.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace nnscope::ui {

namespace {

const nn::Value* findArgument(const nn::Arguments& arguments, const std::string& name) {
    for (const auto& [n, v] : arguments)
        if (n == name) return &v;
    return nullptr;
}

QString tooltip(const nn::ArgumentSpec& spec) {
    QString text = QString::fromUtf8(nn::argument_kind_name(spec.kind).data());
    if (spec.accepts_none) text += QStringLiteral(" or None");
    if (spec.accepts_string) text += QStringLiteral(" or str");
    text += spec.required
                ? QStringLiteral(", required")
                : QStringLiteral(", default ") + QString::fromStdString(spec.default_value.repr());
    return text;
}

// The builder builds each edit at once: a module whose size arguments multiply past this many
// elements (400 MB of float32) is refused before it is allocated.
constexpr double max_elements = 1e8;

// The product of the arguments that size a module's tensors, as module_build's check of a file.
double declaredElements(const nn::Arguments& arguments) {
    static const char* const sizing[] = {"in_features",    "out_features",  "in_channels",
                                         "out_channels",   "kernel_size",   "num_features",
                                         "num_embeddings", "embedding_dim", "normalized_shape"};
    double elements = 1.0;
    for (const auto& [name, value] : arguments) {
        if (std::find(std::begin(sizing), std::end(sizing), name) == std::end(sizing)) continue;
        const nn::Value::List single{value};
        for (const nn::Value& v : value.is_list() ? value.as_list() : single)
            if (v.is_int() && v.as_int() > 1) elements *= static_cast<double>(v.as_int());
    }
    return elements;
}

} // namespace

ArgumentForm::ArgumentForm(QWidget* parent)
    : QWidget(parent) {
    layout_ = new QFormLayout(this);
    layout_->setContentsMargins(0, 0, 0, 0);
    layout_->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    // In the page's scroll area: never squeezed below the rows' height (an error's word-wrapped
    // line included), scrolled instead.
    layout_->setSizeConstraint(QLayout::SetMinimumSize);
    empty_ = new QLabel(this);
    empty_->setWordWrap(true);
    layout_->addRow(empty_);
}

void ArgumentForm::clear() {
    while (layout_->rowCount() > 1)
        layout_->removeRow(1);
    fields_.clear();
}

void ArgumentForm::setModule(const QString& type, const nn::Arguments& arguments) {
    clear();
    type_ = type;
    valid_ = arguments;
    std::vector<nn::ArgumentSpec> specs;
    try {
        specs = nn::module_argument_specs(type.toStdString());
    } catch (const std::exception& e) {
        empty_->setText(QString::fromStdString(e.what()));
        empty_->show();
        return;
    }
    empty_->setText(tr("%1 takes no arguments.").arg(type));
    empty_->setVisible(specs.empty());
    for (const nn::ArgumentSpec& spec : specs) {
        Field field;
        field.spec = spec;
        const nn::Value* given = findArgument(arguments, spec.name);
        QWidget* editor = nullptr;
        const std::string name = spec.name;
        if (spec.kind == nn::ArgumentKind::Bool && !spec.accepts_none) {
            field.check = new QCheckBox(this);
            field.given = given != nullptr;
            const nn::Value& value = given ? *given : spec.default_value;
            field.check->setChecked(value.is_bool() && value.as_bool());
            connect(field.check, &QCheckBox::toggled, this, [this, name] { edited(name); });
            editor = field.check;
        } else {
            field.line = new QLineEdit(this);
            field.line->setPlaceholderText(spec.required ? tr("required")
                                                         : argumentText(spec.default_value, spec) +
                                                               tr(" (default)"));
            if (given) field.line->setText(argumentText(*given, spec));
            connect(field.line, &QLineEdit::textEdited, this, [this, name] { edited(name); });
            editor = field.line;
        }
        editor->setToolTip(tooltip(spec));
        field.holder = new FieldError(editor, this);
        auto* label = new QLabel(QString::fromStdString(spec.name), this);
        label->setToolTip(editor->toolTip());
        layout_->addRow(label, field.holder);
        fields_.push_back(field);
    }
}

void ArgumentForm::edited(const std::string& name) {
    nn::Arguments arguments;
    FieldError* edited_field = nullptr;
    bool parsed = true;
    for (Field& field : fields_) {
        if (field.spec.name == name) edited_field = field.holder;
        if (field.check) {
            if (field.spec.name == name) field.given = true;
            const bool value = field.check->isChecked();
            if (field.given || nn::Value(value) != field.spec.default_value)
                arguments.emplace_back(field.spec.name, value);
            continue;
        }
        const QString text = field.line->text();
        if (text.trimmed().isEmpty()) {
            field.holder->setError({});
            continue;
        }
        try {
            arguments.emplace_back(field.spec.name, parseArgumentText(text, field.spec));
            field.holder->setError({});
        } catch (const std::invalid_argument& e) {
            field.holder->setError(QString::fromStdString(e.what()));
            parsed = false;
        }
    }
    if (!parsed) return;
    if (const double elements = declaredElements(arguments); elements > max_elements) {
        if (edited_field)
            edited_field->setError(tr("%1 elements: more than the builder allocates (%2)")
                                       .arg(QLocale().toString(elements, 'g', 3),
                                            QLocale().toString(max_elements, 'g', 3)));
        return;
    }
    try {
        nn::make_module(type_.toStdString(), arguments);
    } catch (const std::exception& e) {
        QString message = QString::fromStdString(e.what());
        // make_module names the type first; the field already says which module it is.
        const QString prefix = type_ + QStringLiteral(": ");
        if (message.startsWith(prefix)) message = message.mid(prefix.size());
        if (edited_field) edited_field->setError(message);
        return;
    }
    for (Field& field : fields_)
        field.holder->setError({});
    valid_ = arguments;
    emit argumentsChanged(valid_);
}

void ArgumentForm::setFieldText(const QString& name, const QString& text) {
    for (Field& field : fields_) {
        if (field.spec.name != name.toStdString()) continue;
        if (field.check) {
            const QSignalBlocker block(field.check);
            field.check->setChecked(text == QLatin1String("True"));
        } else {
            field.line->setText(text);
        }
        edited(field.spec.name);
        return;
    }
}

QString ArgumentForm::fieldText(const QString& name) const {
    for (const Field& field : fields_)
        if (field.spec.name == name.toStdString())
            return field.check ? (field.check->isChecked() ? QStringLiteral("True")
                                                           : QStringLiteral("False"))
                               : field.line->text();
    return {};
}

QString ArgumentForm::fieldError(const QString& name) const {
    for (const Field& field : fields_)
        if (field.spec.name == name.toStdString()) return field.holder->error();
    return {};
}

} // namespace nnscope::ui
