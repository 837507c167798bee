#pragma once
// A configuration field's editor with room for its error: the editor, and under it a red line
// that appears when the field is wrong (the editor outlined in red meanwhile). The lab's form
// puts one around each field so that a refused value is shown where it was typed.

#include <QWidget>

class QFrame;
class QLabel;

namespace nnscope::ui {

class FieldError : public QWidget {
    Q_OBJECT
public:
    // Takes `editor` (a single widget or a row of them) into its layout.
    explicit FieldError(QWidget* editor, QWidget* parent = nullptr);

    // "" clears it.
    void setError(const QString& message);
    QString error() const;
    QWidget* editor() const { return editor_; }

private:
    QWidget* editor_;
    QFrame* frame_;
    QLabel* label_;
};

} // namespace nnscope::ui
