#include "ui/indexing/tensor_grid_model.h"

#include <QFont>
#include <charconv>
#include <cmath>
#include <optional>

namespace nnscope::ui {

namespace {

const QColor kBad(0xc6, 0x28, 0x28);

// What a value typed for `dtype` becomes, or nothing: an integer dtype takes whole numbers only.
std::optional<double> parsed(const QVariant& value, DType dtype) {
    bool ok = false;
    const QString text = value.toString().trimmed();
    if (!is_floating_point(dtype)) {
        const qlonglong v = text.toLongLong(&ok);
        return ok ? std::optional(static_cast<double>(v)) : std::nullopt;
    }
    const double v = text.toDouble(&ok);
    if (!ok) return std::nullopt;
    return dtype == DType::Float32 ? static_cast<double>(static_cast<float>(v)) : v;
}

std::vector<double> values_of(const Tensor& tensor) {
    if (!is_floating_point(tensor.dtype())) {
        std::vector<double> values;
        for (std::int64_t v : tensor.to_int64_vector())
            values.push_back(static_cast<double>(v));
        return values;
    }
    return tensor.to_vector();
}

} // namespace

QString exactValueText(double value, DType dtype) {
    if (!is_floating_point(dtype)) return QString::number(static_cast<qint64>(value));
    char buffer[64];
    const auto end = dtype == DType::Float32
                         ? std::to_chars(buffer, buffer + sizeof buffer, static_cast<float>(value))
                         : std::to_chars(buffer, buffer + sizeof buffer, value);
    return QString::fromLatin1(buffer, end.ptr - buffer);
}

QString gridValueText(double value, DType dtype) {
    if (!is_floating_point(dtype)) return QString::number(static_cast<qint64>(value));
    QString text = QString::number(value, 'g', 4);
    if (std::isfinite(value) && !text.contains(QLatin1Char('.')) &&
        !text.contains(QLatin1Char('e')))
        text += QStringLiteral(".0");
    return text;
}

QColor readableTextColour(const QColor& background) {
    // WCAG relative luminance; black text from 0.18 up reads better than white.
    auto linear = [](double c) {
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const double y = 0.2126 * linear(background.redF()) + 0.7152 * linear(background.greenF()) +
                     0.0722 * linear(background.blueF());
    return y > 0.18 ? QColor(Qt::black) : QColor(Qt::white);
}

std::int64_t flatOf(const Shape& at, const Shape& shape) {
    std::int64_t flat = 0;
    for (std::size_t d = 0; d < shape.size() && d < at.size(); ++d)
        flat = flat * shape[d] + at[d];
    return flat;
}

Shape multiIndexOf(std::int64_t flat, const Shape& shape) {
    Shape at(shape.size(), 0);
    for (std::size_t d = shape.size(); d-- > 0;) {
        at[d] = flat % shape[d];
        flat /= shape[d];
    }
    return at;
}

TensorGridModel::TensorGridModel(const QString& name, QObject* parent)
    : QAbstractTableModel(parent)
    , name_(name) {}

void TensorGridModel::setTensor(const Tensor& tensor) {
    if (!tensor.defined()) return clear();
    std::vector<double> values = values_of(tensor);
    if (tensor.shape() == shape_ && !values_.empty() && values.size() == values_.size()) {
        values_ = std::move(values);
        dtype_ = tensor.dtype();
        allCellsChanged({Qt::DisplayRole, Qt::EditRole, Qt::ToolTipRole});
        return;
    }
    beginResetModel();
    shape_ = tensor.shape();
    dtype_ = tensor.dtype();
    values_ = std::move(values);
    colours_.clear();
    suffixes_.clear();
    tips_.clear();
    marked_.assign(values_.size(), false);
    bad_.assign(values_.size(), false);
    endResetModel();
}

void TensorGridModel::clear() {
    beginResetModel();
    shape_.clear();
    values_.clear();
    colours_.clear();
    suffixes_.clear();
    tips_.clear();
    marked_.clear();
    bad_.clear();
    endResetModel();
}

Tensor TensorGridModel::tensor() const {
    if (values_.empty()) return Tensor();
    return Tensor::from_vector(values_, shape_, dtype_);
}

void TensorGridModel::setColours(std::vector<QColor> colours) {
    colours_ = colours.size() == values_.size() ? std::move(colours) : std::vector<QColor>{};
    allCellsChanged({Qt::BackgroundRole, Qt::ForegroundRole});
}

void TensorGridModel::setSuffixes(std::vector<QString> suffixes) {
    suffixes_ = suffixes.size() == values_.size() ? std::move(suffixes) : std::vector<QString>{};
    allCellsChanged({Qt::DisplayRole});
}

void TensorGridModel::setToolTips(std::vector<QString> tips) {
    tips_ = tips.size() == values_.size() ? std::move(tips) : std::vector<QString>{};
    allCellsChanged({Qt::ToolTipRole});
}

void TensorGridModel::setMarked(const std::vector<std::int64_t>& flat) {
    marked_.assign(values_.size(), false);
    for (std::int64_t k : flat)
        if (k >= 0 && k < static_cast<std::int64_t>(marked_.size())) marked_[k] = true;
    allCellsChanged({MarkedRole, Qt::FontRole});
}

void TensorGridModel::setBad(const std::vector<std::int64_t>& flat) {
    bad_.assign(values_.size(), false);
    for (std::int64_t k : flat)
        if (k >= 0 && k < static_cast<std::int64_t>(bad_.size())) bad_[k] = true;
    allCellsChanged({BadRole, Qt::BackgroundRole, Qt::ForegroundRole});
}

std::vector<std::int64_t> TensorGridModel::marked() const {
    std::vector<std::int64_t> flat;
    for (std::size_t k = 0; k < marked_.size(); ++k)
        if (marked_[k]) flat.push_back(static_cast<std::int64_t>(k));
    return flat;
}

std::int64_t TensorGridModel::flatIndex(const QModelIndex& index) const {
    if (!index.isValid() || index.model() != this) return -1;
    const std::int64_t flat =
        static_cast<std::int64_t>(index.row()) * columnCount() + index.column();
    return flat < static_cast<std::int64_t>(values_.size()) ? flat : -1;
}

QModelIndex TensorGridModel::cell(std::int64_t flat) const {
    const int columns = columnCount();
    if (flat < 0 || flat >= static_cast<std::int64_t>(values_.size()) || columns == 0) return {};
    return index(static_cast<int>(flat / columns), static_cast<int>(flat % columns));
}

QString TensorGridModel::elementName(std::int64_t flat) const {
    QStringList at;
    for (std::int64_t i : multiIndexOf(flat, shape_))
        at << QString::number(i);
    return shape_.empty()
               ? name_
               : name_ + QLatin1Char('[') + at.join(QStringLiteral(", ")) + QLatin1Char(']');
}

int TensorGridModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || values_.empty()) return 0;
    return static_cast<int>(values_.size()) / columnCount();
}

int TensorGridModel::columnCount(const QModelIndex& parent) const {
    if (parent.isValid() || values_.empty()) return 0;
    return shape_.empty() ? 1 : static_cast<int>(shape_.back());
}

QVariant TensorGridModel::data(const QModelIndex& index, int role) const {
    const std::int64_t k = flatIndex(index);
    if (k < 0) return {};
    const auto at = static_cast<std::size_t>(k);
    const QColor* background = bad_[at]                 ? &kBad
                               : colours_.empty()       ? nullptr
                               : colours_[at].isValid() ? &colours_[at]
                                                        : nullptr;
    switch (role) {
    case Qt::DisplayRole:
        return gridValueText(values_[at], dtype_) + (suffixes_.empty() ? QString() : suffixes_[at]);
    case Qt::EditRole:
        return exactValueText(values_[at], dtype_);
    case Qt::ToolTipRole:
        if (!tips_.empty()) return tips_[at];
        return elementName(k) + QStringLiteral(" = ") + exactValueText(values_[at], dtype_);
    case Qt::BackgroundRole:
        return background ? QVariant(*background) : QVariant();
    case Qt::ForegroundRole:
        return background ? QVariant(readableTextColour(*background)) : QVariant();
    case Qt::FontRole: {
        if (!marked_[at]) return {};
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    case Qt::TextAlignmentRole:
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case MarkedRole:
        return bool(marked_[at]);
    case BadRole:
        return bool(bad_[at]);
    default:
        return {};
    }
}

bool TensorGridModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    const std::int64_t k = flatIndex(index);
    if (k < 0 || role != Qt::EditRole || !editable_) return false;
    const std::optional<double> v = parsed(value, dtype_);
    if (!v) return false;
    values_[static_cast<std::size_t>(k)] = *v;
    emit dataChanged(index, index, {Qt::DisplayRole, Qt::EditRole, Qt::ToolTipRole});
    emit valueEdited(k);
    return true;
}

QVariant TensorGridModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || section < 0) return {};
    if (orientation == Qt::Horizontal) return shape_.empty() ? QString() : QString::number(section);
    if (shape_.size() < 2) return QString();
    // The row's leading multi-index: the element at the row's first column, last dim dropped.
    Shape lead = multiIndexOf(static_cast<std::int64_t>(section) * columnCount(), shape_);
    lead.pop_back();
    QStringList parts;
    for (std::int64_t i : lead)
        parts << QString::number(i);
    return parts.join(QLatin1Char(','));
}

Qt::ItemFlags TensorGridModel::flags(const QModelIndex& index) const {
    if (flatIndex(index) < 0) return Qt::NoItemFlags;
    const Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return editable_ ? f | Qt::ItemIsEditable : f;
}

void TensorGridModel::allCellsChanged(const QList<int>& roles) {
    if (values_.empty()) return;
    emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), roles);
}

} // namespace nnscope::ui
