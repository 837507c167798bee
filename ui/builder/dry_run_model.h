#pragma once
// The builder inspector's dry-run table (issue #17), torchinfo's columns: the layer indented by
// depth ("1 (Linear: 1-2)"), input and output shapes of its last call, parameters (with its
// children's), mult-adds, trainable, and the note (how a LazyLinear's in_features got fixed, why
// a module did not run). When the forward stopped, one more row, tinted, gives where and why
// (a ModuleList called shows PyTorch's "missing forward" error). The totals are footerText(),
// for a label under the table.

#include "workflows/dry_run.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <optional>

namespace nnscope::ui {

class DryRunModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Layer, InputShape, OutputShape, Params, MultAdds, Trainable, Note, ColumnCount };
    enum DataRole { ModulePathRole = Qt::UserRole + 1 };

    explicit DryRunModel(QObject* parent = nullptr);

    void setDryRun(std::optional<workflows::DryRun> run); // nullopt empties the table
    const std::optional<workflows::DryRun>& dryRun() const { return run_; }
    // Whether `row` is the row saying why the forward stopped.
    bool isErrorRow(int row) const;
    // "Total params: 25,450 · trainable 25,450 · non-trainable 0 · mult-adds 25,450 ·
    // output [1, 10]" (or "· the forward stopped"); empty without a run.
    QString footerText() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(int row, int column) const;

    std::optional<workflows::DryRun> run_;
    QStringList labels_; // dry_run_layer_labels, indented
};

// 25450 as "25,450" (the C locale's grouping, as torchinfo prints).
QString groupedCount(std::int64_t n);

} // namespace nnscope::ui
