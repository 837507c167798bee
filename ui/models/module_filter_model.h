#pragma once
// Filter-as-you-type over the module tree: a module matches when its path or type contains the
// text (case-insensitive); recursive filtering keeps the ancestors of every match.

#include <QSortFilterProxyModel>

namespace nnscope::ui {

class ModuleFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ModuleFilterModel(QObject* parent = nullptr);
    void setFilterText(const QString& text);

protected:
    bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;

private:
    QString text_;
};

} // namespace nnscope::ui
