#pragma once
// The tensors of the selected module and its submodules: shape, dtype, numel, role (buffers set
// apart visibly, inferred roles marked), the statistics the worker streams in after a load (with
// the NaN/Inf count highlighted when non-zero), requires_grad or persistence. A NameFilter narrows
// the rows to the matching tensors. Sorting covers every column and every row of the module (not
// only the rows fetched), and stays right while statistics arrive. Rows come in pages through
// fetchMore while the table is in file order, so a module with thousands of tensors costs only what
// is on screen.

#include "session/document_snapshot.h"
#include "session/model_session.h"
#include "ui/models/name_filter.h"

#include <QAbstractTableModel>
#include <optional>
#include <unordered_map>

namespace nnscope::ui {

class TensorTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // The statistics before the flags: they are what a glance looks for; the flags text is long.
    enum Column {
        Name,
        Shape,
        DType,
        Numel,
        Role,
        Min,
        Max,
        Mean,
        Std,
        NonFinite, // NaN and ±Inf elements
        Flags,
        ColumnCount
    };
    enum DataRole { TensorNameRole = Qt::UserRole + 1 }; // the tensor's full dotted name
    static constexpr int kPage = 256;

    explicit TensorTableModel(QObject* parent = nullptr);

    // A new document clears the statistics, the filter and the module: the table is empty until
    // a module is chosen. The sort order stays.
    void setDocument(session::DocumentSnapshotPtr document);
    // Shows the tensors held by the module at `path` and by its submodules that the filter
    // matches.
    void setModule(const QString& path);
    // Shows nothing: no module is selected (a filter that matches no module).
    void clearModule();
    bool hasModule() const { return module_.has_value(); }
    // Narrows the rows to the tensors the filter matches; null or empty shows them all.
    void setFilter(NameFilterPtr filter);
    // Statistics for some tensors of the current document (kept even for rows not shown).
    void addStats(const session::StatsBatch& batch);
    // The full name of the tensor at a row, "" when out of range.
    QString tensorName(int row) const;
    int rowOfTensor(const QString& name) const; // -1 when not shown
    const session::TensorStats* stats(const QString& name) const;
    // Rows of the module matching the filter, fetched or not.
    int totalRows() const { return static_cast<int>(rows_.size()); }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    // column -1 is the file's order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    QVariant display(const session::TensorRow& t, int column) const;
    const session::TensorRow& tensorAt(int row) const;
    bool hasNonFinite(const session::TensorRow& t) const;
    void rebuildRows();
    void fetchAll();
    // Orders rows_ by sort_column_ (tensor_table_sort.cpp); the caller signals the change.
    void sortRows();
    // Re-sorts the rows shown, keeping persistent indexes (the selection) on their tensors.
    void resort();
    bool sortsByStatistics() const;

    session::DocumentSnapshotPtr document_;
    NameFilterPtr filter_;
    std::optional<QString> module_; // none: no module selected
    std::vector<int> rows_;         // indices into document_->tensors, all of the module's
    int fetched_ = 0;               // rows_ shown so far
    bool resetting_ = false; // listeners may ask for rows inside a reset or an insert: not then
    int sort_column_ = -1;
    Qt::SortOrder sort_order_ = Qt::AscendingOrder;
    std::unordered_map<std::string, session::TensorStats> stats_;
};

} // namespace nnscope::ui
