#include "ui/builder/apply_rules_model.h"

#include "engine/nn/registry.h"
#include "engine/nn/value.h"

#include <QRegularExpression>
#include <cmath>

namespace nnscope::ui {

using workflows::InitRule;

ApplyRulesModel::ApplyRulesModel(QObject* parent)
    : QAbstractTableModel(parent) {}

const QStringList& ApplyRulesModel::moduleTypes() {
    static const QStringList types = [] {
        QStringList list{QStringLiteral("*")};
        for (const auto& name : nn::module_type_names())
            list << QString::fromStdString(name);
        return list;
    }();
    return types;
}

QStringList ApplyRulesModel::schemes() {
    QStringList list;
    for (const auto& s : workflows::init_scheme_names())
        list << QString::fromStdString(s);
    return list;
}

bool ApplyRulesModel::takesA(const std::string& scheme) {
    return scheme == "constant" || scheme == "normal" || scheme == "uniform";
}

bool ApplyRulesModel::takesB(const std::string& scheme) {
    return scheme == "normal" || scheme == "uniform" || scheme == "xavier_uniform" ||
           scheme == "xavier_normal";
}

void ApplyRulesModel::setRules(std::vector<InitRule> rules) {
    beginResetModel();
    rules_ = std::move(rules);
    endResetModel();
    emit rulesChanged();
}

void ApplyRulesModel::addRule(const InitRule& rule) {
    const int row = int(rules_.size());
    beginInsertRows({}, row, row);
    rules_.push_back(rule);
    endInsertRows();
    emit rulesChanged();
}

int ApplyRulesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(rules_.size());
}

int ApplyRulesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

bool ApplyRulesModel::editable(const QModelIndex& index) const {
    const InitRule& r = rules_[std::size_t(index.row())];
    if (index.column() == A) return takesA(r.scheme);
    if (index.column() == B) return takesB(r.scheme);
    return true;
}

QVariant ApplyRulesModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const InitRule& r = rules_[std::size_t(index.row())];
    if (role == Qt::ToolTipRole && index.column() == Scheme)
        return QString::fromStdString(workflows::apply_rules_script({r}));
    if (role != Qt::DisplayRole && role != Qt::EditRole) return {};
    switch (index.column()) {
    case ModuleType:
        return QString::fromStdString(r.module_type);
    case Tensor:
        return QString::fromStdString(r.tensor);
    case Scheme:
        return QString::fromStdString(r.scheme);
    case A:
    case B: {
        if (!editable(index)) return role == Qt::EditRole ? QVariant() : QStringLiteral("--");
        const double v = index.column() == A ? r.a : r.b;
        if (role == Qt::EditRole) return v;
        return QString::fromStdString(nn::python_float_repr(v));
    }
    default:
        return {};
    }
}

bool ApplyRulesModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::EditRole || !index.isValid() || index.row() >= rowCount() || !editable(index))
        return false;
    InitRule& r = rules_[std::size_t(index.row())];
    const QString text = value.toString().trimmed();
    switch (index.column()) {
    case ModuleType:
        if (!moduleTypes().contains(text)) return false;
        r.module_type = text.toStdString();
        break;
    case Tensor: {
        // A Python attribute name, as register_parameter / register_buffer take.
        static const QRegularExpression identifier(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (!identifier.match(text).hasMatch()) return false;
        r.tensor = text.toStdString();
        break;
    }
    case Scheme:
        if (!schemes().contains(text)) return false;
        r.scheme = text.toStdString();
        emit dataChanged(this->index(index.row(), A), this->index(index.row(), B));
        break;
    case A:
    case B: {
        bool ok = false;
        const double v = value.toDouble(&ok);
        if (!ok || !std::isfinite(v)) return false;
        (index.column() == A ? r.a : r.b) = v;
        break;
    }
    default:
        return false;
    }
    emit dataChanged(index, index);
    emit rulesChanged();
    return true;
}

Qt::ItemFlags ApplyRulesModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.row() < rowCount() && editable(index)) f |= Qt::ItemIsEditable;
    return f;
}

QVariant ApplyRulesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole && (section == A || section == B))
        return section == A ? tr("constant: the value; normal: the mean; uniform: the low end")
                            : tr("normal: the std; uniform: the high end; xavier: the gain");
    if (role != Qt::DisplayRole) return {};
    switch (section) {
    case ModuleType:
        return tr("Module type");
    case Tensor:
        return tr("Tensor");
    case Scheme:
        return tr("nn.init scheme");
    case A:
        return QStringLiteral("a");
    case B:
        return QStringLiteral("b");
    default:
        return {};
    }
}

bool ApplyRulesModel::insertRows(int row, int count, const QModelIndex& parent) {
    if (parent.isValid() || row < 0 || row > rowCount() || count < 1) return false;
    beginInsertRows({}, row, row + count - 1);
    rules_.insert(rules_.begin() + row, std::size_t(count), InitRule{"*", "weight", "zeros"});
    endInsertRows();
    emit rulesChanged();
    return true;
}

bool ApplyRulesModel::removeRows(int row, int count, const QModelIndex& parent) {
    if (parent.isValid() || row < 0 || count < 1 || row + count > rowCount()) return false;
    beginRemoveRows({}, row, row + count - 1);
    rules_.erase(rules_.begin() + row, rules_.begin() + row + count);
    endRemoveRows();
    emit rulesChanged();
    return true;
}

} // namespace nnscope::ui
