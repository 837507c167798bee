#include "ui/models/train_module_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <cmath>
#include <limits>

namespace nnscope::ui {

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
constexpr TrainModuleModel::Numbers kNoNumbers{kNone, kNone, kNone, kNone, kNone};

// Units a ReLU leaves at exactly zero are dead for this batch: no gradient flows through them.
bool zeroesDeadUnits(const std::string& type) {
    return type == "ReLU" || type == "ReLU6";
}

QString numberText(double v) {
    if (std::isnan(v)) return {};
    return QString::number(v, 'g', 4);
}

} // namespace

TrainModuleModel::TrainModuleModel(QObject* parent)
    : QAbstractItemModel(parent) {}

void TrainModuleModel::setModules(const std::vector<session::TrainModuleInfo>& modules) {
    beginResetModel();
    modules_.clear();
    roots_.clear();
    by_path_.clear();
    modules_.reserve(modules.size());
    for (const auto& info : modules) {
        const int id = int(modules_.size());
        Node node;
        node.info = info;
        // The parent is the longest proper prefix of the path that names a module ("" the root).
        const std::string& path = info.path;
        if (!path.empty()) {
            for (auto dot = path.rfind('.'); node.parent < 0; dot = path.rfind('.', dot - 1)) {
                const std::string prefix = dot == std::string::npos ? "" : path.substr(0, dot);
                if (auto it = by_path_.find(prefix); it != by_path_.end()) node.parent = it->second;
                if (dot == std::string::npos || dot == 0) break;
            }
        }
        const auto last = path.rfind('.');
        node.name =
            QString::fromStdString(last == std::string::npos ? path : path.substr(last + 1));
        auto& siblings = node.parent < 0 ? roots_ : modules_[std::size_t(node.parent)].children;
        node.row = int(siblings.size());
        siblings.push_back(id);
        by_path_.emplace(path, id);
        modules_.push_back(std::move(node));
    }
    numbers_.assign(modules_.size(), kNoNumbers);
    numbers_step_ = -1;
    highlighted_ = -1;
    endResetModel();
}

int TrainModuleModel::moduleOf(const std::string& path) const {
    const auto it = by_path_.find(path);
    return it == by_path_.end() ? -1 : it->second;
}

void TrainModuleModel::setNumbers(const workflows::StepRecord& record,
                                  const std::vector<QModelIndex>* shown) {
    numbers_.assign(modules_.size(), kNoNumbers);
    for (const auto& m : record.modules) {
        const int id = moduleOf(m.module);
        if (id < 0) continue;
        Numbers& n = numbers_[std::size_t(id)];
        if (m.activation) {
            n.act_mean = m.activation->stats.mean;
            n.act_std = m.activation->stats.std;
            if (zeroesDeadUnits(modules_[std::size_t(id)].info.type))
                n.dead = m.activation->stats.zero_fraction();
        }
        if (m.gradient) n.grad_std = m.gradient->stats.std;
    }
    // A module's own parameters are the names one part longer than its path.
    std::vector<double> squares(modules_.size(), 0.0);
    std::vector<char> has(modules_.size(), 0);
    for (const auto& p : record.params) {
        if (std::isnan(p.grad_norm)) continue;
        const auto dot = p.name.rfind('.');
        const int id = moduleOf(dot == std::string::npos ? "" : p.name.substr(0, dot));
        if (id < 0) continue;
        squares[std::size_t(id)] += p.grad_norm * p.grad_norm;
        has[std::size_t(id)] = 1;
    }
    for (std::size_t i = 0; i < modules_.size(); ++i)
        if (has[i]) numbers_[i].grad_norm = std::sqrt(squares[i]);
    numbers_step_ = record.step;

    if (shown) {
        // Runs of consecutive siblings among the shown rows, one signal each.
        std::size_t i = 0;
        while (i < shown->size()) {
            const QModelIndex first = (*shown)[i];
            QModelIndex last = first;
            for (++i; i < shown->size(); ++i) {
                const QModelIndex next = (*shown)[i];
                if (next.parent() != last.parent() || next.row() != last.row() + 1) break;
                last = next;
            }
            if (first.model() == this)
                emit dataChanged(first.siblingAtColumn(ActMean), last.siblingAtColumn(GradNorm),
                                 {Qt::DisplayRole, ValueRole});
        }
        return;
    }
    // One signal per group of siblings: a view repaints what it shows of each range.
    auto changed = [this](const std::vector<int>& siblings) {
        if (siblings.empty()) return;
        emit dataChanged(indexOfModule(siblings.front(), ActMean),
                         indexOfModule(siblings.back(), GradNorm), {Qt::DisplayRole, ValueRole});
    };
    changed(roots_);
    for (const Node& node : modules_)
        changed(node.children);
}

void TrainModuleModel::setHighlighted(const QString& path) {
    const int id = path.isNull() ? -1 : moduleOf(path.toStdString());
    if (id == highlighted_) return;
    const int old = highlighted_;
    highlighted_ = id;
    for (int m : {old, id})
        if (m >= 0)
            emit dataChanged(indexOfModule(m, 0), indexOfModule(m, ColumnCount - 1),
                             {Qt::BackgroundRole, Qt::FontRole, HighlightRole});
}

QString TrainModuleModel::highlighted() const {
    return highlighted_ < 0 ? QString()
                            : QString::fromStdString(modules_[std::size_t(highlighted_)].info.path);
}

QModelIndex TrainModuleModel::indexOfModule(int module, int column) const {
    return createIndex(modules_[std::size_t(module)].row, column, quintptr(module));
}

QModelIndex TrainModuleModel::indexOfPath(const QString& path) const {
    const int id = moduleOf(path.toStdString());
    return id < 0 ? QModelIndex() : indexOfModule(id, 0);
}

QString TrainModuleModel::pathOf(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this) return {};
    return QString::fromStdString(modules_[index.internalId()].info.path);
}

QModelIndex TrainModuleModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) return {};
    const auto& siblings = parent.isValid() ? modules_[parent.internalId()].children : roots_;
    return indexOfModule(siblings[std::size_t(row)], column);
}

QModelIndex TrainModuleModel::parent(const QModelIndex& child) const {
    if (!child.isValid()) return {};
    const int parent = modules_[child.internalId()].parent;
    return parent < 0 ? QModelIndex() : indexOfModule(parent, 0);
}

int TrainModuleModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) return int(roots_.size());
    if (parent.column() != 0) return 0;
    return int(modules_[parent.internalId()].children.size());
}

int TrainModuleModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

double TrainModuleModel::value(int module, int column) const {
    const Numbers& n = numbers_[std::size_t(module)];
    switch (column) {
    case ActMean:
        return n.act_mean;
    case ActStd:
        return n.act_std;
    case Dead:
        return n.dead;
    case GradStd:
        return n.grad_std;
    case GradNorm:
        return n.grad_norm;
    default:
        return kNone;
    }
}

QVariant TrainModuleModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const int id = int(index.internalId());
    const Node& node = modules_[std::size_t(id)];
    const int column = index.column();
    switch (role) {
    case PathRole:
        return QString::fromStdString(node.info.path);
    case HighlightRole:
        return id == highlighted_;
    case ValueRole:
        return value(id, column);
    case Qt::TextAlignmentRole:
        return column >= ActMean ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::BackgroundRole:
        // Amber, apart from the selection's colour: where the run is, not what the user chose.
        return id == highlighted_ ? QVariant(QColor(0xff, 0xd6, 0x66)) : QVariant();
    case Qt::FontRole: {
        if (id != highlighted_) return {};
        QFont font;
        font.setBold(true);
        return font;
    }
    case Qt::ToolTipRole:
        return node.info.path.empty() ? tr("the whole model")
                                      : QString::fromStdString(node.info.path);
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (column) {
    case Name:
        return node.parent < 0 && node.info.path.empty() ? tr("model") : node.name;
    case Type:
        return QString::fromStdString(node.info.type);
    case Dead: {
        const double v = value(id, column);
        return std::isnan(v) ? QString() : QString::number(100.0 * v, 'f', 1) + QLatin1Char('%');
    }
    default:
        return numberText(value(id, column));
    }
}

QVariant TrainModuleModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    static const char* const titles[ColumnCount] = {
        QT_TR_NOOP("Module"), QT_TR_NOOP("Type"),     QT_TR_NOOP("Act mean"), QT_TR_NOOP("Act std"),
        QT_TR_NOOP("Dead"),   QT_TR_NOOP("Grad std"), QT_TR_NOOP("Grad norm")};
    static const char* const tips[ColumnCount] = {
        QT_TR_NOOP("The module's name in its parent"),
        QT_TR_NOOP("The module's class"),
        QT_TR_NOOP("Mean of the module's output at the latest observed step"),
        QT_TR_NOOP("Standard deviation of the module's output at the latest observed step"),
        QT_TR_NOOP("Share of a ReLU's outputs that are exactly zero (dead units for this batch)"),
        QT_TR_NOOP("Standard deviation of the gradient w.r.t. the module's output (grad_output)"),
        QT_TR_NOOP("2-norm of the gradients of the module's own parameters")};
    if (section < 0 || section >= ColumnCount) return {};
    if (role == Qt::DisplayRole) return tr(titles[section]);
    if (role == Qt::ToolTipRole) return tr(tips[section]);
    return {};
}

} // namespace nnscope::ui
