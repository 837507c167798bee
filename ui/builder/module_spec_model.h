#pragma once
// The model builder's tree: an editable io::ModuleSpec shown as an item model, one row per module
// (the root on top), with its name, type, constructor arguments and own parameter count. Edits
// keep PyTorch's naming rules: Sequential and ModuleList children are renumbered "0", "1", ...
// after every insert, remove and move (a Sequential whose children carry their own names, as
// nn.Sequential(OrderedDict(...)) makes, keeps them); ModuleDict children keep their names; a
// name that is empty, contains "." or is taken is refused with PyTorch's message. The model checks
// names only; whether the edited tree builds is the page's check (io::build_module).

#include "io/architecture.h"

#include <QAbstractItemModel>
#include <memory>

namespace nnscope::ui {

class ModuleSpecModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Type, Arguments, OwnParameters, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1, // the dotted path ("" for the root)
        IsContainerRole,             // Sequential, ModuleList, ModuleDict
    };

    explicit ModuleSpecModel(QObject* parent = nullptr);
    ~ModuleSpecModel() override;

    // Replaces the whole tree (a model reset).
    void setSpec(const io::ModuleSpec& spec);
    io::ModuleSpec spec() const;
    // The subtree at an index (the root's for an invalid one).
    io::ModuleSpec specAt(const QModelIndex& index) const;
    QString pathOf(const QModelIndex& index) const;
    QModelIndex indexOfPath(const QString& path) const;
    QModelIndex rootIndex() const;

    // Inserts `module` as the row-th child of the container at `parent` (row -1: last). In a
    // ModuleDict, `name` (or, when empty, the type in lower case made unique) names it. Returns
    // the new row's index, or an invalid one with *error set.
    QModelIndex insertModule(const QModelIndex& parent, int row, const io::ModuleSpec& module,
                             const QString& name = {}, QString* error = nullptr);
    // Where the palette's "Add" puts a module with `selected` selected: into a selected container
    // (last), or after a selected non-container in its parent.
    QModelIndex addNear(const QModelIndex& selected, const io::ModuleSpec& module,
                        QString* error = nullptr);
    // The root cannot be removed; false with *error then.
    bool removeModule(const QModelIndex& index, QString* error = nullptr);
    // Moves a module among its siblings by delta rows (-1 up, +1 down); false at either end.
    bool moveModule(const QModelIndex& index, int delta);
    // "" on success, else why the name is refused (the tree unchanged).
    QString renameModule(const QModelIndex& index, const QString& name);
    // Why `name` cannot name a child of `parent` (ignoring `except`, the child being renamed);
    // "" when it can.
    QString checkChildName(const QModelIndex& parent, const QString& name,
                           const QModelIndex& except = {}) const;
    // A module's own arguments and declared tensors (its children untouched).
    void setArguments(const QModelIndex& index, const nn::Arguments& arguments);
    void setTensors(const QModelIndex& index, const std::vector<nn::TensorDeclaration>& tensors);

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    // "in_features=4, out_features=3" (Python's repr of each value).
    static QString argumentSummary(const nn::Arguments& arguments);

signals:
    // After every edit (not after setSpec).
    void specEdited();
    // A rename typed into the tree was refused: why.
    void editRefused(const QString& message);

private:
    struct Node;
    Node* node(const QModelIndex& index) const;
    QModelIndex indexOf(const Node* node, int column = 0) const;
    // Sequential / ModuleList children named by position again, with dataChanged.
    void renumber(Node* parent);
    void refreshRow(Node* node);

    std::unique_ptr<Node> root_;
};

} // namespace nnscope::ui
