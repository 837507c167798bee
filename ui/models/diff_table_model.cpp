#include "ui/models/diff_table_model.h"

#include <QBrush>
#include <QColor>
#include <cmath>

namespace nnscope::ui {

namespace {

using workflows::PairStatus;
using workflows::TensorComparison;

QString shapeText(const Shape& shape) {
    return QString::fromStdString(shape_to_string(shape));
}

QString sides(const std::string& a, const std::string& b) {
    if (a == b) return QString::fromStdString(a);
    return QStringLiteral("%1 → %2").arg(
        a.empty() ? QStringLiteral("–") : QString::fromStdString(a),
        b.empty() ? QStringLiteral("–") : QString::fromStdString(b));
}

// Rows that could not be compared, tinted so they stand out in either palette.
QColor tint(PairStatus status) {
    switch (status) {
    case PairStatus::Matched:
        return {};
    case PairStatus::ShapeMismatch:
    case PairStatus::Unreadable:
        return QColor(220, 90, 60, 60);
    case PairStatus::OnlyInA:
    case PairStatus::OnlyInB:
        return QColor(80, 130, 220, 50);
    }
    return {};
}

} // namespace

QString diffNumber(double value, int precision) {
    if (std::isnan(value)) return QStringLiteral("–");
    if (std::isinf(value)) return value > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    return QString::number(value, 'g', precision);
}

DiffTableModel::DiffTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void DiffTableModel::setDiff(session::DiffResultPtr diff) {
    beginResetModel();
    diff_ = std::move(diff);
    endResetModel();
}

const TensorComparison* DiffTableModel::comparison(int row) const {
    if (!diff_ || row < 0 || row >= rowCount()) return nullptr;
    return &diff_->tensors[static_cast<std::size_t>(row)];
}

int DiffTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !diff_ ? 0 : static_cast<int>(diff_->tensors.size());
}

int DiffTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DiffTableModel::data(const QModelIndex& index, int role) const {
    const TensorComparison* t = index.isValid() ? comparison(index.row()) : nullptr;
    if (!t) return {};
    switch (role) {
    case Qt::DisplayRole:
        return display(*t, index.column());
    case SortRole:
        return sortKey(*t, index.column());
    case TensorNameRole:
        return QString::fromStdString(t->name);
    case Qt::ToolTipRole:
        if (index.column() == Name) return QString::fromStdString(t->name);
        if (index.column() == Status && !t->error.empty()) return QString::fromStdString(t->error);
        if (index.column() == DType && t->dtype_changed)
            return tr("Different dtypes: the values are compared in float64.");
        return {};
    case Qt::BackgroundRole:
        if (const QColor c = tint(t->status); c.isValid()) return QBrush(c);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() >= Change) return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant DiffTableModel::display(const TensorComparison& t, int column) const {
    const workflows::TensorDiff* d = t.diff ? &*t.diff : nullptr;
    switch (column) {
    case Name:
        return QString::fromStdString(t.name);
    case Status:
        return QString::fromUtf8(workflows::to_string(t.status));
    case Shape:
        if (t.status == PairStatus::Matched) return shapeText(t.shape_a);
        return sides(t.dtype_a.empty() ? std::string() : shape_to_string(t.shape_a),
                     t.dtype_b.empty() ? std::string() : shape_to_string(t.shape_b));
    case DType:
        return sides(t.dtype_a, t.dtype_b);
    case Change:
        return d ? diffNumber(d->relative_change) : QVariant();
    case MaxAbs:
        return d ? diffNumber(d->max_abs) : QVariant();
    case Cosine:
        return d ? diffNumber(d->cosine, 6) : QVariant();
    case Differing:
        return d ? QStringLiteral("%1 / %2").arg(d->differing).arg(d->numel) : QVariant();
    case NonFinite:
        return d ? QVariant(qlonglong(d->numel - d->compared)) : QVariant();
    default:
        return {};
    }
}

QVariant DiffTableModel::sortKey(const TensorComparison& t, int column) const {
    const workflows::TensorDiff* d = t.diff ? &*t.diff : nullptr;
    // Rows without figures get -1 (below every matched pair when sorting largest first).
    switch (column) {
    case Change:
        return d ? d->relative_change : -1.0;
    case MaxAbs:
        return d ? d->max_abs : -1.0;
    case Cosine:
        return d ? d->cosine : -2.0;
    case Differing:
        return d ? QVariant(qlonglong(d->differing)) : QVariant(qlonglong(-1));
    case NonFinite:
        return d ? QVariant(qlonglong(d->numel - d->compared)) : QVariant(qlonglong(-1));
    default:
        return display(t, column);
    }
}

QVariant DiffTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Change:
            return tr("‖b − a‖ / ‖a‖ over the pairs where b − a is finite (inf when ‖a‖ = 0)");
        case MaxAbs:
            return tr("Largest |b − a|");
        case Cosine:
            return tr("a·b / (‖a‖ ‖b‖); 1 when both are zero, 0 when one is");
        case Differing:
            return tr("Elements with a ≠ b, of all elements");
        case NonFinite:
            return tr("Pairs left out because a or b is NaN or infinite");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    static const char* const names[] = {"Tensor",    "Status", "Shape",     "Dtype",  "Change",
                                        "Max |b−a|", "Cosine", "Differing", "NaN/Inf"};
    if (section < 0 || section >= ColumnCount) return {};
    return tr(names[section]);
}

} // namespace nnscope::ui
