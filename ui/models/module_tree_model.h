#pragma once
// The module tree of the shown document: one row per module (the root module on top), parent and
// children from the dotted paths, with type, constructor arguments and parameter counts. A type
// guessed from tensor names and shapes (ModuleRow::type_inferred) is shown in italics with the
// reason as its tooltip, never as a fact. Reads only the immutable DocumentSnapshot it holds.

#include "session/document_snapshot.h"

#include <QAbstractItemModel>
#include <QSet>

namespace nnscope::ui {

class ModuleTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    // Arguments last: they are long, the counts are what a glance looks for.
    enum Column { Name, Type, TotalParameters, OwnParameters, Arguments, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, // the module's dotted path ("" for the root)
        RecordedRole,                // true when the last run recorded this module's output
    };

    explicit ModuleTreeModel(QObject* parent = nullptr);

    void setDocument(session::DocumentSnapshotPtr document);
    const session::DocumentSnapshotPtr& document() const { return document_; }
    // The modules whose output the Run panel's last run recorded (marked with a dot and a
    // tooltip); empty clears the marks. A new document clears them too.
    void setRecorded(QSet<QString> paths);
    bool isRecorded(const QString& path) const { return recorded_.contains(path); }
    // The index of the module at a dotted path (column 0); invalid when absent.
    QModelIndex indexOfPath(const QString& path) const;
    // The index into the document's modules of a valid index of this model; -1 otherwise.
    int moduleIndex(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QIcon recordedIcon();

private:
    const session::ModuleRow& module(const QModelIndex& index) const;
    QModelIndex indexOfModule(int module, int column) const;

    session::DocumentSnapshotPtr document_;
    std::vector<int> row_in_parent_; // per module
    QSet<QString> recorded_;
};

} // namespace nnscope::ui
