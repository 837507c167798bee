#include "ui/models/module_filter_model.h"

#include "ui/models/module_tree_model.h"

namespace nnscope::ui {

ModuleFilterModel::ModuleFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent) {
    setRecursiveFilteringEnabled(true);
}

void ModuleFilterModel::setFilterText(const QString& text) {
    const QString trimmed = text.trimmed();
    if (trimmed == text_) return;
    text_ = trimmed;
    invalidateFilter(); // Qt 6.4 has no begin/endFilterChange yet
}

bool ModuleFilterModel::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const {
    if (text_.isEmpty()) return true;
    const QModelIndex name = sourceModel()->index(source_row, ModuleTreeModel::Name, source_parent);
    const QModelIndex type = sourceModel()->index(source_row, ModuleTreeModel::Type, source_parent);
    return name.data(ModuleTreeModel::PathRole).toString().contains(text_, Qt::CaseInsensitive) ||
           name.data().toString().contains(text_, Qt::CaseInsensitive) ||
           type.data().toString().contains(text_, Qt::CaseInsensitive);
}

} // namespace nnscope::ui
