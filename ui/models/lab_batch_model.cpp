#include "ui/models/lab_batch_model.h"

#include <QStringList>
#include <stdexcept>

namespace nnscope::ui {

namespace {

QString joined(const std::vector<std::int64_t>& values) {
    QStringList parts;
    parts.reserve(static_cast<qsizetype>(values.size()));
    for (auto v : values)
        parts << QString::number(v);
    return parts.join(QStringLiteral(", "));
}

} // namespace

LabBatchModel::LabBatchModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void LabBatchModel::append(const session::LoaderBatchesPtr& chunk) {
    if (!chunk || chunk->batches.empty()) return;
    if (chunk->first != static_cast<std::int64_t>(rows_.size()))
        throw std::logic_error("LabBatchModel: a chunk out of order");
    const int first = rowCount();
    beginInsertRows({}, first, first + static_cast<int>(chunk->batches.size()) - 1);
    chunks_.push_back(chunk);
    for (const auto& b : chunk->batches)
        rows_.push_back(&b);
    endInsertRows();
}

void LabBatchModel::clear() {
    beginResetModel();
    rows_.clear();
    chunks_.clear();
    endResetModel();
}

const workflows::LoaderBatch& LabBatchModel::batch(int row) const {
    return *rows_.at(static_cast<std::size_t>(row));
}

int LabBatchModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int LabBatchModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LabBatchModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const workflows::LoaderBatch& b = batch(index.row());
    if (role == Qt::TextAlignmentRole)
        return index.column() <= Batch ? QVariant(int(Qt::AlignRight | Qt::AlignVCenter))
                                       : QVariant();
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
    case Epoch:
        return QVariant::fromValue(b.epoch);
    case Batch:
        return QVariant::fromValue(b.batch);
    case Indices:
        return joined(b.indices);
    case Labels:
        return joined(b.labels);
    default:
        return {};
    }
}

QVariant LabBatchModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section;
    switch (section) {
    case Epoch:
        return tr("Epoch");
    case Batch:
        return tr("Batch");
    case Indices:
        return tr("Indices");
    case Labels:
        return tr("Labels");
    default:
        return {};
    }
}

} // namespace nnscope::ui
