#include "ui/models/tensor_table_model.h"

#include "engine/tensor.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>
#include <QStringList>
#include <cmath>
#include <iterator>

namespace nnscope::ui {

namespace {

std::int64_t non_finite(const session::TensorStats& s) {
    return s.nan + s.pos_inf + s.neg_inf;
}

QString number_text(double value) {
    if (std::isnan(value)) return QStringLiteral("nan");
    return QString::number(value, 'g', 6);
}

bool in_module(const std::string& tensor_module, const std::string& module) {
    if (module.empty() || tensor_module == module) return true;
    return tensor_module.size() > module.size() &&
           tensor_module.compare(0, module.size(), module) == 0 &&
           tensor_module[module.size()] == '.';
}

// requires_grad for a parameter, persistence for a buffer, "unknown" where the file does not
// say; then the tie, if any.
QString flags_text(const session::TensorRow& t) {
    QString text;
    if (t.requires_grad)
        text = *t.requires_grad ? QObject::tr("requires_grad") : QObject::tr("no grad");
    else if (t.persistent)
        text = *t.persistent ? QObject::tr("persistent") : QObject::tr("not persistent");
    else
        text = QObject::tr("unknown");
    if (!t.shares_with.empty())
        text += QObject::tr(" · shares storage with %1").arg(QString::fromStdString(t.shares_with));
    return text;
}

} // namespace

TensorTableModel::TensorTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void TensorTableModel::setDocument(session::DocumentSnapshotPtr document) {
    beginResetModel();
    document_ = std::move(document);
    filter_.reset();
    module_.reset();
    rows_.clear();
    fetched_ = 0;
    stats_.clear();
    endResetModel();
}

void TensorTableModel::setModule(const QString& path) {
    module_ = path;
    rebuildRows();
}

void TensorTableModel::clearModule() {
    module_.reset();
    rebuildRows();
}

void TensorTableModel::setFilter(NameFilterPtr filter) {
    filter_ = std::move(filter);
    rebuildRows();
}

void TensorTableModel::rebuildRows() {
    // Another module or filter shares nothing with the rows shown: a reset.
    beginResetModel();
    resetting_ = true;
    rows_.clear();
    if (document_ && module_) {
        const std::string module = module_->toStdString();
        const bool filtered = filter_ && !filter_->isEmpty() && filter_->isFor(document_);
        for (std::size_t i = 0; i < document_->tensors.size(); ++i)
            if (in_module(document_->tensors[i].module, module) &&
                (!filtered || filter_->matchesTensor(static_cast<int>(i))))
                rows_.push_back(static_cast<int>(i));
    }
    // A sorted table shows every row: the order of a first page alone would be wrong.
    if (sort_column_ >= 0) sortRows();
    fetched_ = sort_column_ >= 0 ? static_cast<int>(rows_.size())
                                 : std::min<int>(kPage, static_cast<int>(rows_.size()));
    endResetModel();
    resetting_ = false; // listeners of modelReset (QAbstractItemModelTester) may not fetch yet
}

void TensorTableModel::addStats(const session::StatsBatch& batch) {
    for (const auto& [name, s] : batch.stats)
        stats_[name] = s;
    if (fetched_ == 0) return;
    // Sorted by a statistic, the new values move rows; otherwise one dataChanged over the
    // statistics columns of the rows shown, cheaper than one per row.
    if (sortsByStatistics())
        resort();
    else
        emit dataChanged(index(0, Min), index(fetched_ - 1, NonFinite));
}

void TensorTableModel::sort(int column, Qt::SortOrder order) {
    if (column >= ColumnCount) column = -1;
    if (column == sort_column_ && order == sort_order_) return;
    sort_column_ = column;
    sort_order_ = order;
    if (column >= 0) fetchAll();
    resort();
}

void TensorTableModel::fetchAll() {
    while (canFetchMore({}))
        fetchMore({});
}

void TensorTableModel::resort() {
    emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<int> tensors;
    tensors.reserve(static_cast<std::size_t>(before.size()));
    for (const QModelIndex& i : before)
        tensors.push_back(rows_[static_cast<std::size_t>(i.row())]);
    sortRows();
    std::unordered_map<int, int> row_of; // tensor -> row, for the rows shown
    for (int r = 0; r < fetched_; ++r)
        row_of.emplace(rows_[static_cast<std::size_t>(r)], r);
    QModelIndexList after;
    after.reserve(before.size());
    for (int k = 0; k < before.size(); ++k) {
        const auto it = row_of.find(tensors[static_cast<std::size_t>(k)]);
        after << (it == row_of.end() ? QModelIndex() : index(it->second, before[k].column()));
    }
    changePersistentIndexList(before, after);
    emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

bool TensorTableModel::sortsByStatistics() const {
    return sort_column_ >= Min && sort_column_ <= NonFinite;
}

const session::TensorRow& TensorTableModel::tensorAt(int row) const {
    return document_->tensors[static_cast<std::size_t>(rows_[static_cast<std::size_t>(row)])];
}

QString TensorTableModel::tensorName(int row) const {
    if (row < 0 || row >= fetched_) return {};
    return QString::fromStdString(tensorAt(row).name);
}

int TensorTableModel::rowOfTensor(const QString& name) const {
    const std::string wanted = name.toStdString();
    for (int r = 0; r < fetched_; ++r)
        if (tensorAt(r).name == wanted) return r;
    return -1;
}

const session::TensorStats* TensorTableModel::stats(const QString& name) const {
    const auto it = stats_.find(name.toStdString());
    return it == stats_.end() ? nullptr : &it->second;
}

int TensorTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : fetched_;
}

int TensorTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

bool TensorTableModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && !resetting_ && fetched_ < static_cast<int>(rows_.size());
}

void TensorTableModel::fetchMore(const QModelIndex& parent) {
    if (parent.isValid() || resetting_) return;
    const int more = std::min<int>(kPage, static_cast<int>(rows_.size()) - fetched_);
    if (more <= 0) return;
    resetting_ = true; // no nested fetch from a rowsInserted listener
    beginInsertRows({}, fetched_, fetched_ + more - 1);
    fetched_ += more;
    endInsertRows();
    resetting_ = false;
}

QVariant TensorTableModel::display(const session::TensorRow& t, int column) const {
    switch (column) {
    case Name: {
        // Relative to the selected module, which the tree already names.
        const std::string& n = t.name;
        const QString module = module_.value_or(QString());
        const std::size_t skip =
            module.isEmpty() ? 0 : static_cast<std::size_t>(module.toStdString().size()) + 1;
        return QString::fromStdString(n.size() > skip ? n.substr(skip) : n);
    }
    case Shape:
        return QString::fromStdString(shape_to_string(t.shape));
    case DType:
        return QString::fromStdString(t.dtype);
    case Numel:
        return QLocale().toString(static_cast<qlonglong>(t.numel));
    case Role:
        return QString::fromUtf8(to_string(t.role)) +
               (t.role_inferred ? tr(" (inferred)") : QString());
    case Flags:
        return flags_text(t);
    default:
        break;
    }
    const auto it = stats_.find(t.name);
    if (it == stats_.end()) return {};
    const session::TensorStats& s = it->second;
    switch (column) {
    case Min:
        return number_text(s.min);
    case Max:
        return number_text(s.max);
    case Mean:
        return number_text(s.mean);
    case Std:
        return number_text(s.std);
    case NonFinite:
        return QLocale().toString(static_cast<qlonglong>(non_finite(s)));
    default:
        return {};
    }
}

QVariant TensorTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const session::TensorRow& t = tensorAt(index.row());
    const bool buffer = t.role == io::TensorRole::Buffer;
    switch (role) {
    case Qt::DisplayRole:
        return display(t, index.column());
    case TensorNameRole:
        return QString::fromStdString(t.name);
    case Qt::FontRole:
        if (buffer || (index.column() == Role && t.role_inferred)) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::BackgroundRole:
        // The bad tensor stands out: a NaN or an infinity is rarely meant.
        if (index.column() == NonFinite && hasNonFinite(t)) return QBrush(QColor(0xe0, 0x40, 0x40));
        return {};
    case Qt::ForegroundRole:
        if (index.column() == NonFinite && hasNonFinite(t)) return QBrush(Qt::white);
        // Mid-tone colours read on light and dark palettes alike.
        if (index.column() == Role) {
            if (buffer) return QBrush(QColor(0xd0, 0x80, 0x20));
            if (t.role == io::TensorRole::Parameter) return QBrush(QColor(0x30, 0x90, 0xd0));
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Numel || (index.column() >= Min && index.column() <= NonFinite))
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Role && t.role_inferred)
            return tr("The file does not say; judged from the tensor's name and dtype.");
        if (index.column() == Flags && !t.requires_grad && !t.persistent)
            return tr("The file does not record requires_grad or persistence for this tensor "
                      "(a state_dict holds detached tensors).");
        if (index.column() == Flags && !t.shares_with.empty())
            return tr("Same bytes, offset, shape and strides as %1 (tied): counted once in the "
                      "totals.")
                .arg(QString::fromStdString(t.shares_with));
        if (index.column() >= Min && index.column() <= NonFinite && stats_.count(t.name)) {
            const session::TensorStats& s = stats_.at(t.name);
            return tr("%1 finite, %2 NaN, %3 +inf, %4 -inf")
                .arg(s.finite)
                .arg(s.nan)
                .arg(s.pos_inf)
                .arg(s.neg_inf);
        }
        return QString::fromStdString(t.name);
    default:
        return {};
    }
}

bool TensorTableModel::hasNonFinite(const session::TensorRow& t) const {
    const auto it = stats_.find(t.name);
    return it != stats_.end() && non_finite(it->second) > 0;
}

QVariant TensorTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount) return {};
    if (role == Qt::ToolTipRole && section == NonFinite)
        return tr("Elements that are NaN, +inf or -inf (highlighted when any)");
    if (role != Qt::DisplayRole) return {};
    static const char* const names[] = {"Tensor", "Shape", "DType", "Numel",   "Role", "Min",
                                        "Max",    "Mean",  "Std",   "NaN/Inf", "Flags"};
    static_assert(std::size(names) == ColumnCount);
    return tr(names[section]);
}

} // namespace nnscope::ui
