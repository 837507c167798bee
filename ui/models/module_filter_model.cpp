#include "ui/models/module_filter_model.h"

#include "ui/models/module_tree_model.h"

namespace nnscope::ui {

ModuleFilterModel::ModuleFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent) {
    setRecursiveFilteringEnabled(true);
}

void ModuleFilterModel::setFilter(NameFilterPtr filter) {
    filter_ = std::move(filter);
    invalidateFilter(); // Qt 6.4 has no begin/endFilterChange yet
}

bool ModuleFilterModel::filterAcceptsRow(int source_row, const QModelIndex& source_parent) const {
    if (!filter_ || filter_->isEmpty()) return true;
    const auto* tree = static_cast<const ModuleTreeModel*>(sourceModel());
    if (!filter_->isFor(tree->document())) return true; // a new file, its filter not made yet
    const QModelIndex index = tree->index(source_row, 0, source_parent);
    return filter_->keepsModule(tree->moduleIndex(index));
}

} // namespace nnscope::ui
