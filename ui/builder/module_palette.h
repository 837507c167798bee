#pragma once
// The builder's palette: every module type the engine builds (nn::module_type_names()), grouped
// as torch.nn's documentation groups them, containers first. Double-click or Add asks for the
// type to be added (the page puts it under the selected container, or after the selected module).

#include <QWidget>

class QLineEdit;
class QListWidget;
class QListWidgetItem;

namespace nnscope::ui {

class ModulePalette : public QWidget {
    Q_OBJECT
public:
    explicit ModulePalette(QWidget* parent = nullptr);

    QListWidget* list() const { return list_; }
    // The types listed, in order (group headings left out).
    QStringList types() const;
    QString currentType() const;
    bool selectType(const QString& type);

    // torch.nn's heading for a type ("Containers", "Linear layers", ..., "Other").
    static QString group(const QString& type);

signals:
    void addRequested(const QString& type);

private:
    void filter(const QString& text);

    QLineEdit* search_;
    QListWidget* list_;
};

} // namespace nnscope::ui
