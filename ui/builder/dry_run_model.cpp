#include "ui/builder/dry_run_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

namespace nnscope::ui {

namespace {

QString shapesText(const std::vector<Shape>& shapes) {
    QStringList parts;
    for (const auto& s : shapes)
        parts << QString::fromStdString(shape_to_string(s));
    return parts.join(QStringLiteral(", "));
}

} // namespace

QString groupedCount(std::int64_t n) {
    QLocale c = QLocale::c();
    c.setNumberOptions(QLocale::DefaultNumberOptions); // the C locale omits grouping by default
    return c.toString(static_cast<qlonglong>(n));
}

DryRunModel::DryRunModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void DryRunModel::setDryRun(std::optional<workflows::DryRun> run) {
    beginResetModel();
    run_ = std::move(run);
    labels_.clear();
    if (run_) {
        const auto labels = workflows::dry_run_layer_labels(*run_);
        for (std::size_t i = 0; i < labels.size(); ++i)
            labels_ << QString(run_->rows[i].depth * 2, QLatin1Char(' ')) +
                           QString::fromStdString(labels[i]);
    }
    endResetModel();
}

bool DryRunModel::isErrorRow(int row) const {
    return run_ && run_->error && row == int(run_->rows.size());
}

QString DryRunModel::footerText() const {
    if (!run_) return {};
    QString text =
        tr("Total params: %1 · trainable %2 · non-trainable %3 · mult-adds %4")
            .arg(groupedCount(run_->total_parameters), groupedCount(run_->trainable_parameters),
                 groupedCount(run_->total_parameters - run_->trainable_parameters),
                 groupedCount(run_->total_mult_adds));
    if (run_->error)
        text += tr(" · the forward stopped");
    else
        text += tr(" · output %1").arg(QString::fromStdString(shape_to_string(run_->output_shape)));
    return text;
}

int DryRunModel::rowCount(const QModelIndex& parent) const {
    if (parent.isValid() || !run_) return 0;
    return int(run_->rows.size()) + (run_->error ? 1 : 0);
}

int DryRunModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DryRunModel::display(int row, int column) const {
    if (isErrorRow(row)) {
        if (column == Layer) return tr("forward stopped");
        if (column == Note) return QString::fromStdString(*run_->error);
        return {};
    }
    const workflows::DryRunRow& r = run_->rows[std::size_t(row)];
    const bool ran = r.calls > 0;
    const QString none = QStringLiteral("--");
    switch (column) {
    case Layer:
        return labels_.value(row);
    case InputShape:
        return ran ? shapesText(r.input_shapes) : none;
    case OutputShape:
        return ran ? QString::fromStdString(shape_to_string(r.output_shape)) : none;
    case Params:
        return r.parameters ? groupedCount(r.parameters) : none;
    case MultAdds:
        return r.mult_adds ? groupedCount(r.mult_adds) : none;
    case Trainable:
        return r.parameters ? (r.trainable ? QStringLiteral("True") : QStringLiteral("False"))
                            : none;
    case Note:
        return QString::fromStdString(r.note);
    default:
        return {};
    }
}

QVariant DryRunModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount) return {};
    const int row = index.row();
    const bool error = isErrorRow(row);
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == Note || index.column() == Layer) {
            const QString note = display(row, Note).toString();
            if (!note.isEmpty()) return note;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Params || index.column() == MultAdds)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (error) return QBrush(QColor(180, 30, 30));
        if (run_->rows[std::size_t(row)].calls == 0) return QBrush(QColor(120, 120, 120));
        return {};
    case Qt::BackgroundRole:
        if (error) return QBrush(QColor(220, 40, 40, 40));
        return {};
    case Qt::FontRole:
        if (!error && run_->rows[std::size_t(row)].calls == 0) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case ModulePathRole:
        return error ? QVariant() : QString::fromStdString(run_->rows[std::size_t(row)].path);
    default:
        return {};
    }
}

QVariant DryRunModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Layer:
        return tr("Layer (type:depth-idx)");
    case InputShape:
        return tr("Input shape");
    case OutputShape:
        return tr("Output shape");
    case Params:
        return tr("Param #");
    case MultAdds:
        return tr("Mult-adds");
    case Trainable:
        return tr("Trainable");
    case Note:
        return tr("Note");
    default:
        return {};
    }
}

} // namespace nnscope::ui
