#pragma once
// Filter-as-you-type over the module tree: keeps the modules a NameFilter keeps (path or type
// contains the text, or a tensor of theirs is named with it); recursive filtering keeps the
// ancestors of every match.

#include "ui/models/name_filter.h"

#include <QSortFilterProxyModel>

namespace nnscope::ui {

class ModuleFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit ModuleFilterModel(QObject* parent = nullptr);
    // The filter of the source model's document (made by the page, shared with the table).
    void setFilter(NameFilterPtr filter);
    const NameFilterPtr& filter() const { return filter_; }

protected:
    bool filterAcceptsRow(int source_row, const QModelIndex& source_parent) const override;

private:
    NameFilterPtr filter_;
};

} // namespace nnscope::ui
