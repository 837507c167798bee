#include "ui/models/module_tree_model.h"

#include <QFileInfo>
#include <QFont>
#include <QIcon>
#include <QLocale>
#include <QPainter>
#include <QPixmap>

namespace nnscope::ui {

ModuleTreeModel::ModuleTreeModel(QObject* parent)
    : QAbstractItemModel(parent) {}

void ModuleTreeModel::setDocument(session::DocumentSnapshotPtr document) {
    // A new file is a new tree: nothing of the old one survives, so a reset is the honest signal.
    beginResetModel();
    document_ = std::move(document);
    recorded_.clear();
    row_in_parent_.assign(document_ ? document_->modules.size() : 0, 0);
    if (document_)
        for (const auto& m : document_->modules)
            for (std::size_t r = 0; r < m.children.size(); ++r)
                row_in_parent_[static_cast<std::size_t>(m.children[r])] = static_cast<int>(r);
    endResetModel();
}

void ModuleTreeModel::setRecorded(QSet<QString> paths) {
    recorded_ = std::move(paths);
    if (!document_) return;
    for (int i = 0; i < static_cast<int>(document_->modules.size()); ++i) {
        const QModelIndex name = indexOfModule(i, Name);
        emit dataChanged(name, name, {Qt::DecorationRole, Qt::ToolTipRole, RecordedRole});
    }
}

QIcon ModuleTreeModel::recordedIcon() {
    // A small filled dot: "this module has an output to look at".
    static const QIcon icon = [] {
        QPixmap pixmap(12, 12);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(QColor(0x2e, 0x86, 0xde));
        painter.drawEllipse(QRectF(2, 2, 8, 8));
        return QIcon(pixmap);
    }();
    return icon;
}

const session::ModuleRow& ModuleTreeModel::module(const QModelIndex& index) const {
    return document_->modules[index.internalId()];
}

QModelIndex ModuleTreeModel::indexOfModule(int module, int column) const {
    return createIndex(row_in_parent_[static_cast<std::size_t>(module)], column,
                       static_cast<quintptr>(module));
}

QModelIndex ModuleTreeModel::indexOfPath(const QString& path) const {
    if (!document_) return {};
    const int module = document_->module_index(path.toStdString());
    return module < 0 ? QModelIndex() : indexOfModule(module, 0);
}

int ModuleTreeModel::moduleIndex(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this || !document_) return -1;
    return static_cast<int>(index.internalId());
}

QModelIndex ModuleTreeModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) return {};
    if (!parent.isValid()) return createIndex(row, column, quintptr(0)); // the root module
    return indexOfModule(module(parent).children[static_cast<std::size_t>(row)], column);
}

QModelIndex ModuleTreeModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || !document_) return {};
    const int parent = module(child).parent;
    return parent < 0 ? QModelIndex() : indexOfModule(parent, 0);
}

int ModuleTreeModel::rowCount(const QModelIndex& parent) const {
    if (!document_) return 0;
    if (!parent.isValid()) return 1;
    if (parent.column() != 0) return 0;
    return static_cast<int>(module(parent).children.size());
}

int ModuleTreeModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant ModuleTreeModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !document_) return {};
    const session::ModuleRow& m = module(index);
    if (role == PathRole) return QString::fromStdString(m.path);
    const bool recorded = recorded_.contains(QString::fromStdString(m.path));
    if (role == RecordedRole) return recorded;
    if (role == Qt::DecorationRole && index.column() == Name && recorded) return recordedIcon();
    if (role == Qt::TextAlignmentRole &&
        (index.column() == OwnParameters || index.column() == TotalParameters))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    const bool inferred_type = index.column() == Type && m.type_inferred;
    if (role == Qt::FontRole && inferred_type) {
        QFont font;
        font.setItalic(true);
        return font;
    }
    if (role == Qt::ToolTipRole && inferred_type)
        return tr("Inferred, not read from the file: %1")
            .arg(QString::fromStdString(m.type_reason));
    if (role == Qt::ToolTipRole) {
        QString tip = m.path.empty() ? tr("the whole model") : QString::fromStdString(m.path);
        if (!m.arguments.empty()) tip += QLatin1Char('\n') + QString::fromStdString(m.arguments);
        if (recorded) tip += QLatin1Char('\n') + tr("Output recorded by the last run");
        return tip;
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Name:
        return m.parent < 0 ? QFileInfo(QString::fromStdString(document_->file)).fileName()
                            : QString::fromStdString(m.name);
    case Type:
        return QString::fromStdString(m.type);
    case Arguments:
        return QString::fromStdString(m.arguments);
    case OwnParameters:
        return QLocale().toString(static_cast<qlonglong>(m.own_parameters));
    case TotalParameters:
        return QLocale().toString(static_cast<qlonglong>(m.total_parameters));
    default:
        return {};
    }
}

QVariant ModuleTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Name:
        return tr("Module");
    case Type:
        return tr("Type");
    case Arguments:
        return tr("Arguments");
    case OwnParameters:
        return tr("Own params");
    case TotalParameters:
        return tr("Total params");
    default:
        return {};
    }
}

} // namespace nnscope::ui
