#include "ui/models/diff_series_model.h"

#include "ui/models/diff_table_model.h"

#include <cmath>
#include <limits>

namespace nnscope::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double first_of(const std::vector<double>& v) {
    for (double x : v)
        if (!std::isnan(x)) return x;
    return kNaN;
}

double last_of(const std::vector<double>& v) {
    for (auto it = v.rbegin(); it != v.rend(); ++it)
        if (!std::isnan(*it)) return *it;
    return kNaN;
}

double largest_of(const std::vector<double>& v) {
    double out = kNaN;
    for (double x : v)
        if (!std::isnan(x) && !(x <= out)) out = x;
    return out;
}

} // namespace

DiffSeriesModel::DiffSeriesModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void DiffSeriesModel::setSeries(session::SeriesResultPtr series) {
    beginResetModel();
    series_ = std::move(series);
    endResetModel();
}

const workflows::TensorSeries* DiffSeriesModel::tensor(int row) const {
    if (!series_ || row < 0 || row >= rowCount()) return nullptr;
    return &series_->tensors[static_cast<std::size_t>(row)];
}

int DiffSeriesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !series_ ? 0 : static_cast<int>(series_->tensors.size());
}

int DiffSeriesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

double DiffSeriesModel::value(const workflows::TensorSeries& t, int column) const {
    switch (column) {
    case Present: {
        int n = 0;
        for (double x : t.mean)
            n += !std::isnan(x);
        return n;
    }
    case FirstNorm:
        return first_of(t.norm);
    case LastNorm:
        return last_of(t.norm);
    case LargestChange:
        return largest_of(t.change);
    case LastChange:
        return last_of(t.change);
    default:
        return kNaN;
    }
}

QVariant DiffSeriesModel::data(const QModelIndex& index, int role) const {
    const workflows::TensorSeries* t = index.isValid() ? tensor(index.row()) : nullptr;
    if (!t) return {};
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        if (column == Name) return QString::fromStdString(t->name);
        if (column == Present)
            return QStringLiteral("%1 / %2").arg(value(*t, column)).arg(t->mean.size());
        return diffNumber(value(*t, column));
    case SortRole:
        if (column == Name) return QString::fromStdString(t->name);
        if (const double v = value(*t, column); !std::isnan(v)) return v;
        return -1.0;
    case TensorNameRole:
    case Qt::ToolTipRole:
        return column == Name || role == TensorNameRole ? QString::fromStdString(t->name)
                                                        : QVariant();
    case Qt::TextAlignmentRole:
        return column == Name ? QVariant() : QVariant(int(Qt::AlignRight | Qt::AlignVCenter));
    default:
        return {};
    }
}

QVariant DiffSeriesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole && (section == LargestChange || section == LastChange))
        return tr("‖x_i − x_{i−1}‖ / ‖x_{i−1}‖ between neighbouring checkpoints");
    if (role != Qt::DisplayRole) return {};
    static const char* const names[] = {"Tensor",      "Checkpoints",    "Norm (first)",
                                        "Norm (last)", "Largest change", "Last change"};
    if (section < 0 || section >= ColumnCount) return {};
    return tr(names[section]);
}

} // namespace nnscope::ui
