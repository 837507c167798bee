#include "ui/models/summary_model.h"

#include <QFont>
#include <QLocale>

namespace nnscope::ui {

namespace {

// Totals read "tensors × elements (bytes)", short enough for a narrow pane.

// Internal ids: 0 for a section row, section + 1 for the rows under it.
constexpr quintptr kSectionId = 0;

QString bytes_text(std::int64_t bytes) {
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

QString total_text(const session::Total& t) {
    return QObject::tr("%1 × %2 (%3)")
        .arg(t.tensors)
        .arg(QLocale().toString(static_cast<qlonglong>(t.elements)), bytes_text(t.bytes));
}

} // namespace

SummaryModel::SummaryModel(QObject* parent)
    : QAbstractItemModel(parent) {}

void SummaryModel::setDocument(const session::DocumentSnapshotPtr& document) {
    beginResetModel();
    sections_.clear();
    if (document) {
        Section file{tr("File"), {}};
        file.rows.emplace_back(tr("path"), QString::fromStdString(document->file));
        file.rows.emplace_back(tr("format"), QString::fromUtf8(to_string(document->format)));
        // The modules the file lists, as `nnscope-cli summary` counts them: not the root, nor the
        // paths only implied by tensor names.
        file.rows.emplace_back(tr("modules"), QString::number(document->listed_modules.size()));
        file.rows.emplace_back(tr("total"), total_text(document->total));
        file.rows.emplace_back(tr("parameters"), QLocale().toString(static_cast<qlonglong>(
                                                     document->modules.front().total_parameters)));
        if (document->shared_names > 0)
            file.rows.emplace_back(
                tr("shared names"),
                tr("%1 (tied tensors, counted once)").arg(document->shared_names));
        sections_.push_back(std::move(file));
        Section roles{tr("By role"), {}};
        for (const auto& [role, total] : document->by_role)
            roles.rows.emplace_back(QString::fromUtf8(to_string(role)), total_text(total));
        sections_.push_back(std::move(roles));
        Section dtypes{tr("By dtype"), {}};
        for (const auto& [dtype, total] : document->by_dtype)
            dtypes.rows.emplace_back(QString::fromStdString(dtype), total_text(total));
        sections_.push_back(std::move(dtypes));
        Section metadata{tr("Metadata"), {}};
        for (const auto& [key, value] : document->metadata)
            metadata.rows.emplace_back(QString::fromStdString(key), QString::fromStdString(value));
        sections_.push_back(std::move(metadata));
    }
    endResetModel();
}

QString SummaryModel::value(const QString& section, const QString& name) const {
    for (const Section& s : sections_)
        if (s.title == section)
            for (const auto& [key, value] : s.rows)
                if (key == name) return value;
    return {};
}

QModelIndex SummaryModel::index(int row, int column, const QModelIndex& parent) const {
    if (!hasIndex(row, column, parent)) return {};
    if (!parent.isValid()) return createIndex(row, column, kSectionId);
    return createIndex(row, column, static_cast<quintptr>(parent.row()) + 1);
}

QModelIndex SummaryModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == kSectionId) return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kSectionId);
}

int SummaryModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid()) return static_cast<int>(sections_.size());
    if (parent.internalId() != kSectionId || parent.column() != 0) return 0;
    return static_cast<int>(sections_[static_cast<std::size_t>(parent.row())].rows.size());
}

int SummaryModel::columnCount(const QModelIndex&) const {
    return ColumnCount;
}

QVariant SummaryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    if (index.internalId() == kSectionId) {
        const Section& s = sections_[static_cast<std::size_t>(index.row())];
        if (role == Qt::DisplayRole && index.column() == Name) return s.title;
        if (role == Qt::FontRole) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    }
    const auto& [key, value] =
        sections_[index.internalId() - 1].rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
        return index.column() == Name ? key : value;
    return {};
}

QVariant SummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    return section == Name ? tr("Summary") : tr("Value");
}

} // namespace nnscope::ui
