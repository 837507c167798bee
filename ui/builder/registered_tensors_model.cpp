#include "ui/builder/registered_tensors_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

namespace nnscope::ui {

namespace {

using workflows::RegisteredTensor;

QString yesNo(bool on) {
    return on ? RegisteredTensorsModel::tr("yes") : RegisteredTensorsModel::tr("no");
}

} // namespace

QString registeredKindText(const RegisteredTensor& t) {
    QString text;
    if (t.kind == RegisteredTensor::Kind::Parameter)
        text = t.requires_grad || t.is_none || t.uninitialized
                   ? QStringLiteral("parameter")
                   : QStringLiteral("parameter, requires_grad=False");
    else
        text = t.persistent ? QStringLiteral("buffer") : QStringLiteral("buffer, persistent=False");
    if (t.is_none) text += QStringLiteral(" (None)");
    if (t.uninitialized) text += QStringLiteral(" (lazy)");
    return text;
}

RegisteredTensorsModel::RegisteredTensorsModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void RegisteredTensorsModel::setInspection(session::BuilderInspectionPtr inspection) {
    beginResetModel();
    inspection_ = std::move(inspection);
    endResetModel();
}

const RegisteredTensor* RegisteredTensorsModel::tensor(int row) const {
    if (!inspection_ || row < 0 || row >= int(inspection_->tensors.size())) return nullptr;
    return &inspection_->tensors[std::size_t(row)];
}

int RegisteredTensorsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !inspection_ ? 0 : int(inspection_->tensors.size());
}

int RegisteredTensorsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RegisteredTensorsModel::display(const RegisteredTensor& t, int column) const {
    switch (column) {
    case Key:
        return QString::fromStdString(t.key);
    case Kind:
        return registeredKindText(t);
    case Shape:
        if (t.is_none) return QStringLiteral("None");
        if (t.uninitialized) return tr("not yet (lazy)");
        return QString::fromStdString(shape_to_string(t.shape));
    case Saved:
        return yesNo(t.saved);
    case Trained:
        return yesNo(t.optimized);
    case Why:
        return QString::fromStdString(t.why);
    default:
        return {};
    }
}

QVariant RegisteredTensorsModel::data(const QModelIndex& index, int role) const {
    const RegisteredTensor* t = index.isValid() ? tensor(index.row()) : nullptr;
    if (!t || index.column() >= ColumnCount) return {};
    switch (role) {
    case Qt::DisplayRole:
        return display(*t, index.column());
    case Qt::ToolTipRole:
        return QString::fromStdString(t->key + ": " + t->why);
    case Qt::FontRole:
        if (!t->saved) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::ForegroundRole:
        if (!t->saved) return QBrush(QColor(120, 120, 120));
        return {};
    case Qt::BackgroundRole:
        if (!t->saved) return QBrush(QColor(255, 200, 80, 40));
        return {};
    default:
        return {};
    }
}

QVariant RegisteredTensorsModel::headerData(int section, Qt::Orientation orientation,
                                            int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Key:
        return tr("state_dict key");
    case Kind:
        return tr("Registered as");
    case Shape:
        return tr("Shape");
    case Saved:
        return tr("Saved");
    case Trained:
        return tr("Trained");
    case Why:
        return tr("Why");
    default:
        return {};
    }
}

} // namespace nnscope::ui
