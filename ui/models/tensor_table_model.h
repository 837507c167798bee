#pragma once
// The tensors of the selected module and its submodules: shape, dtype, numel, role (buffers set
// apart visibly, inferred roles marked), requires_grad or persistence, and the statistics the
// worker streams in after a load. Rows come in pages through fetchMore, so a module with thousands
// of tensors costs only what is on screen.

#include "session/document_snapshot.h"
#include "session/model_session.h"

#include <QAbstractTableModel>
#include <unordered_map>

namespace nnscope::ui {

class TensorTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Shape, DType, Numel, Role, Flags, Min, Max, Mean, Std, ColumnCount };
    enum DataRole { TensorNameRole = Qt::UserRole + 1 }; // the tensor's full dotted name
    static constexpr int kPage = 256;

    explicit TensorTableModel(QObject* parent = nullptr);

    // A new document clears the statistics; the table is empty until a module is chosen.
    void setDocument(session::DocumentSnapshotPtr document);
    // Shows the tensors held by the module at `path` and by its submodules.
    void setModule(const QString& path);
    // Statistics for some tensors of the current document (kept even for rows not shown).
    void addStats(const session::StatsBatch& batch);
    // The full name of the tensor at a row, "" when out of range.
    QString tensorName(int row) const;
    int rowOfTensor(const QString& name) const; // -1 when not shown
    const session::TensorStats* stats(const QString& name) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

private:
    QVariant display(const session::TensorRow& t, int column) const;

    session::DocumentSnapshotPtr document_;
    QString module_;
    std::vector<int> rows_;  // indices into document_->tensors, all of the module's
    int fetched_ = 0;        // rows_ shown so far
    bool resetting_ = false; // listeners may ask for rows inside a reset or an insert: not then
    std::unordered_map<std::string, session::TensorStats> stats_;
};

} // namespace nnscope::ui
