#include "ui/builder/module_spec_model.h"

#include "engine/nn/declared_tensor.h"
#include "engine/nn/registry.h"

#include <QFont>
#include <QLocale>
#include <algorithm>
#include <stdexcept>

namespace nnscope::ui {

namespace {

constexpr qint64 unknown_count = -1; // the module does not build
constexpr qint64 lazy_count = -2;    // LazyLinear before its first forward

// The parameters a module holds itself: its constructor's and its declared ones.
qint64 own_parameter_count(const io::ModuleSpec& spec) {
    try {
        io::ModuleSpec alone = spec;
        alone.children.clear();
        const nn::ModulePtr module = io::build_module(alone);
        if (module->has_uninitialized_params()) return lazy_count;
        qint64 count = 0;
        for (const auto& [name, tensor] : module->parameter_dict())
            if (tensor.defined()) count += tensor.numel();
        return count;
    } catch (const std::exception&) {
        return unknown_count;
    }
}

bool numbered(const std::vector<std::string>& names) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] != std::to_string(i)) return false;
    return true;
}

} // namespace

struct ModuleSpecModel::Node {
    std::string name;
    io::ModuleSpec own; // type, arguments and tensors; children live in `children`
    Node* parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    qint64 own_parameters = unknown_count;

    int row() const {
        if (!parent) return 0;
        for (std::size_t i = 0; i < parent->children.size(); ++i)
            if (parent->children[i].get() == this) return static_cast<int>(i);
        return 0;
    }
    std::vector<std::string> childNames() const {
        std::vector<std::string> names;
        for (const auto& child : children)
            names.push_back(child->name);
        return names;
    }
    // Sequential / ModuleList name their children by position (a Sequential given other names
    // keeps them, as nn.Sequential(OrderedDict) does).
    bool numbersChildren() const {
        return own.type == "ModuleList" || (own.type == "Sequential" && numbered(childNames()));
    }
    io::ModuleSpec spec() const {
        io::ModuleSpec out = own;
        for (const auto& child : children)
            out.children.push_back({child->name, child->spec()});
        return out;
    }
    static std::unique_ptr<Node> make(const io::ModuleSpec& spec, std::string name, Node* parent) {
        auto node = std::make_unique<Node>();
        node->name = std::move(name);
        node->own = spec;
        node->own.children.clear();
        node->parent = parent;
        node->own_parameters = own_parameter_count(node->own);
        for (const auto& child : spec.children)
            node->children.push_back(make(child.spec, child.name, node.get()));
        return node;
    }
};

ModuleSpecModel::ModuleSpecModel(QObject* parent)
    : QAbstractItemModel(parent)
    , root_(Node::make(io::ModuleSpec{"Sequential", {}, {}, {}}, {}, nullptr)) {}

ModuleSpecModel::~ModuleSpecModel() = default;

void ModuleSpecModel::setSpec(const io::ModuleSpec& spec) {
    beginResetModel();
    root_ = Node::make(spec, {}, nullptr);
    endResetModel();
}

io::ModuleSpec ModuleSpecModel::spec() const {
    return root_->spec();
}

io::ModuleSpec ModuleSpecModel::specAt(const QModelIndex& index) const {
    const Node* n = node(index);
    return n ? n->spec() : root_->spec();
}

QString ModuleSpecModel::pathOf(const QModelIndex& index) const {
    QStringList parts;
    for (const Node* n = node(index); n && n->parent; n = n->parent)
        parts.prepend(QString::fromStdString(n->name));
    return parts.join(QLatin1Char('.'));
}

QModelIndex ModuleSpecModel::indexOfPath(const QString& path) const {
    Node* n = root_.get();
    if (!path.isEmpty())
        for (const QString& part : path.split(QLatin1Char('.'))) {
            auto it = std::find_if(n->children.begin(), n->children.end(),
                                   [&](const auto& c) { return c->name == part.toStdString(); });
            if (it == n->children.end()) return {};
            n = it->get();
        }
    return indexOf(n);
}

QModelIndex ModuleSpecModel::rootIndex() const {
    return indexOf(root_.get());
}

QString ModuleSpecModel::checkChildName(const QModelIndex& parent, const QString& name,
                                        const QModelIndex& except) const {
    const Node* p = node(parent);
    if (!p) return tr("no module selected");
    const std::string n = name.toStdString();
    // PyTorch's add_module: the form of the name, then hasattr(self, name).
    if (n.find('.') != std::string::npos)
        return QStringLiteral("module name can't contain \".\", got: ") + name;
    if (n.empty()) return QStringLiteral("module name can't be empty string \"\"");
    const Node* skip = node(except);
    for (const auto& child : p->children)
        if (child.get() != skip && child->name == n)
            return tr("%1 already has a child named '%2' (PyTorch's add_module would replace "
                      "it)")
                .arg(pathOf(parent).isEmpty() ? tr("the model")
                                              : QStringLiteral("'%1'").arg(pathOf(parent)),
                     name);
    const bool tensor_clash = std::any_of(p->own.tensors.begin(), p->own.tensors.end(),
                                          [&](const auto& t) { return t.name == n; });
    bool attribute = false;
    try {
        attribute = nn::is_python_attribute(*nn::make_module(p->own.type, p->own.arguments), n);
    } catch (const std::exception&) {
    }
    if (tensor_clash || attribute) return QStringLiteral("attribute '%1' already exists").arg(name);
    return {};
}

QModelIndex ModuleSpecModel::insertModule(const QModelIndex& parent, int row,
                                          const io::ModuleSpec& module, const QString& name,
                                          QString* error) {
    Node* p = node(parent);
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        return QModelIndex();
    };
    if (!p) return fail(tr("no module selected"));
    if (!nn::is_container_type(p->own.type))
        return fail(tr("%1 holds no children: add to a Sequential, ModuleList or ModuleDict")
                        .arg(QString::fromStdString(p->own.type)));
    const int count = static_cast<int>(p->children.size());
    if (row < 0 || row > count) row = count;
    const bool renumber_after = p->numbersChildren();
    QString child_name = name;
    if (renumber_after) {
        child_name = QString::number(row); // renumbered below
    } else if (child_name.isEmpty()) {
        const QString base = QString::fromStdString(module.type).toLower();
        child_name = base;
        for (int i = 1; !checkChildName(parent, child_name).isEmpty(); ++i)
            child_name = base + QLatin1Char('_') + QString::number(i);
    }
    if (!renumber_after)
        if (const QString why = checkChildName(parent, child_name); !why.isEmpty())
            return fail(why);
    beginInsertRows(indexOf(p), row, row);
    p->children.insert(p->children.begin() + row, Node::make(module, child_name.toStdString(), p));
    endInsertRows();
    if (renumber_after) renumber(p);
    emit specEdited();
    return indexOf(p->children[static_cast<std::size_t>(row)].get());
}

QModelIndex ModuleSpecModel::addNear(const QModelIndex& selected, const io::ModuleSpec& module,
                                     QString* error) {
    Node* n = node(selected);
    if (!n) n = root_.get();
    if (nn::is_container_type(n->own.type) || !n->parent)
        return insertModule(indexOf(n), -1, module, {}, error);
    return insertModule(indexOf(n->parent), n->row() + 1, module, {}, error);
}

bool ModuleSpecModel::removeModule(const QModelIndex& index, QString* error) {
    Node* n = node(index);
    if (!n || !n->parent) {
        if (error) *error = tr("the root module cannot be removed");
        return false;
    }
    Node* p = n->parent;
    const bool renumber_after = p->numbersChildren();
    const int row = n->row();
    beginRemoveRows(indexOf(p), row, row);
    p->children.erase(p->children.begin() + row);
    endRemoveRows();
    if (renumber_after) renumber(p);
    emit specEdited();
    return true;
}

bool ModuleSpecModel::moveModule(const QModelIndex& index, int delta) {
    Node* n = node(index);
    if (!n || !n->parent || (delta != -1 && delta != 1)) return false;
    Node* p = n->parent;
    const int row = n->row();
    const int to = row + delta;
    if (to < 0 || to >= static_cast<int>(p->children.size())) return false;
    const bool renumber_after = p->numbersChildren();
    const QModelIndex parent_index = indexOf(p);
    // beginMoveRows names the row the moved one goes before, in the order before the move.
    if (!beginMoveRows(parent_index, row, row, parent_index, delta > 0 ? to + 1 : to)) return false;
    std::swap(p->children[static_cast<std::size_t>(row)],
              p->children[static_cast<std::size_t>(to)]);
    endMoveRows();
    if (renumber_after) renumber(p);
    emit specEdited();
    return true;
}

QString ModuleSpecModel::renameModule(const QModelIndex& index, const QString& name) {
    Node* n = node(index);
    if (!n) return tr("no module selected");
    if (!n->parent) return tr("the root module has no name to change");
    if (n->parent->own.type == "ModuleList")
        return tr("a ModuleList names its children by position: move the module instead");
    if (const QString why = checkChildName(indexOf(n->parent), name, index); !why.isEmpty())
        return why;
    n->name = name.toStdString();
    refreshRow(n);
    emit specEdited();
    return {};
}

void ModuleSpecModel::setArguments(const QModelIndex& index, const nn::Arguments& arguments) {
    Node* n = node(index);
    if (!n) return;
    n->own.arguments = arguments;
    n->own_parameters = own_parameter_count(n->own);
    refreshRow(n);
    emit specEdited();
}

void ModuleSpecModel::setTensors(const QModelIndex& index,
                                 const std::vector<nn::TensorDeclaration>& tensors) {
    Node* n = node(index);
    if (!n) return;
    n->own.tensors = tensors;
    n->own_parameters = own_parameter_count(n->own);
    refreshRow(n);
    emit specEdited();
}

void ModuleSpecModel::renumber(Node* parent) {
    for (std::size_t i = 0; i < parent->children.size(); ++i) {
        Node* child = parent->children[i].get();
        const std::string name = std::to_string(i);
        if (child->name == name) continue;
        child->name = name;
        refreshRow(child);
    }
}

void ModuleSpecModel::refreshRow(Node* n) {
    emit dataChanged(indexOf(n, 0), indexOf(n, ColumnCount - 1));
}

ModuleSpecModel::Node* ModuleSpecModel::node(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this) return nullptr;
    return static_cast<Node*>(index.internalPointer());
}

QModelIndex ModuleSpecModel::indexOf(const Node* n, int column) const {
    if (!n) return {};
    return createIndex(n->row(), column, const_cast<Node*>(n));
}

QModelIndex ModuleSpecModel::index(int row, int column, const QModelIndex& parent) const {
    if (row < 0 || column < 0 || column >= ColumnCount) return {};
    if (!parent.isValid()) return row == 0 ? indexOf(root_.get(), column) : QModelIndex();
    const Node* p = node(parent);
    if (!p || parent.column() != 0 || row >= static_cast<int>(p->children.size())) return {};
    return indexOf(p->children[static_cast<std::size_t>(row)].get(), column);
}

QModelIndex ModuleSpecModel::parent(const QModelIndex& child) const {
    const Node* n = node(child);
    if (!n || !n->parent) return {};
    return indexOf(n->parent);
}

int ModuleSpecModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) return 1;
    const Node* p = node(parent);
    return p && parent.column() == 0 ? static_cast<int>(p->children.size()) : 0;
}

int ModuleSpecModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QString ModuleSpecModel::argumentSummary(const nn::Arguments& arguments) {
    QStringList parts;
    for (const auto& [name, value] : arguments)
        parts << QString::fromStdString(name + "=" + value.repr());
    return parts.join(QStringLiteral(", "));
}

QVariant ModuleSpecModel::data(const QModelIndex& index, int role) const {
    const Node* n = node(index);
    if (!n) return {};
    const bool is_root = !n->parent;
    if (role == PathRole) return pathOf(index);
    if (role == IsContainerRole) return nn::is_container_type(n->own.type);
    if (role == Qt::FontRole && is_root && index.column() == Name) {
        QFont font;
        font.setItalic(true);
        return font;
    }
    if (role == Qt::ToolTipRole && index.column() == Name)
        return is_root ? tr("The model itself") : pathOf(index);
    if (role == Qt::ToolTipRole && index.column() == Arguments) return data(index, Qt::DisplayRole);
    if (role == Qt::TextAlignmentRole && index.column() == OwnParameters)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::EditRole && index.column() == Name) return QString::fromStdString(n->name);
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Name:
        return is_root ? tr("(model)") : QString::fromStdString(n->name);
    case Type:
        return QString::fromStdString(n->own.type);
    case Arguments: {
        QString text = argumentSummary(n->own.arguments);
        if (!n->own.tensors.empty()) {
            QStringList names;
            for (const auto& t : n->own.tensors)
                names << QString::fromStdString(t.name);
            text += (text.isEmpty() ? QString() : QStringLiteral("; ")) + tr("own: ") +
                    names.join(QStringLiteral(", "));
        }
        return text;
    }
    case OwnParameters:
        if (n->own_parameters == lazy_count) return tr("lazy");
        if (n->own_parameters == unknown_count) return QStringLiteral("?");
        return QLocale().toString(n->own_parameters);
    }
    return {};
}

QVariant ModuleSpecModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name:
        return tr("Name");
    case Type:
        return tr("Type");
    case Arguments:
        return tr("Arguments");
    case OwnParameters:
        return tr("Own params");
    }
    return {};
}

Qt::ItemFlags ModuleSpecModel::flags(const QModelIndex& index) const {
    const Node* n = node(index);
    if (!n) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Name && n->parent && n->parent->own.type != "ModuleList")
        f |= Qt::ItemIsEditable;
    return f;
}

bool ModuleSpecModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || index.column() != Name || !node(index)) return false;
    if (value.toString().toStdString() == node(index)->name) return true;
    const QString why = renameModule(index, value.toString());
    if (why.isEmpty()) return true;
    emit editRefused(why);
    return false;
}

} // namespace nnscope::ui
