#include "ui/lab/batch_token_model.h"

#include <QBrush>
#include <QPalette>

namespace nnscope::ui {

using data::CollateChoice;

void BatchTokenModel::setSamples(workflows::BatchSamplesPtr samples,
                                 std::vector<workflows::SampleMark> marks) {
    beginResetModel(); // a different batch: every row and column changes
    samples_ = std::move(samples);
    marks_ = std::move(marks);
    rows_.clear();
    positions_.clear();
    token_columns_ = 0;
    if (samples_) {
        if (samples_->collate == CollateChoice::Padding)
            positions_ = samples_->lengths.to_int64_vector();
        if (samples_->collate == CollateChoice::Offsets)
            positions_ = samples_->offsets.to_int64_vector();
        for (std::size_t r = 0; r < samples_->size(); ++r) {
            // The padded matrix shows its whole row, padding included: what the model gets.
            rows_.push_back(samples_->collate == CollateChoice::Padding
                                ? samples_->ids.select(0, std::int64_t(r)).to_int64_vector()
                                : samples_->tokens(r));
            token_columns_ = std::max(token_columns_, static_cast<int>(rows_.back().size()));
        }
        if (samples_->collate == CollateChoice::Default) token_columns_ = 0;
    }
    endResetModel();
}

int BatchTokenModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !samples_ ? 0 : static_cast<int>(samples_->size());
}

int BatchTokenModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : FirstToken + token_columns_;
}

QString BatchTokenModel::word(std::int64_t id) const {
    if (!samples_->vocab || id < 0 || id >= samples_->vocab->size()) return QString::number(id);
    return QString::fromStdString(samples_->vocab->lookup_token(id));
}

QVariant BatchTokenModel::data(const QModelIndex& index, int role) const {
    if (!samples_ || !checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const auto r = static_cast<std::size_t>(index.row());
    const int c = index.column();
    const bool padding = r < marks_.size() && marks_[r].padding;
    const bool repeat = r < marks_.size() && marks_[r].repeat;
    if (c == Index) {
        if (role == Qt::DisplayRole) {
            QString text = QString::number(samples_->indices[r]);
            if (padding)
                text += tr(" (padding)");
            else if (repeat)
                text += tr(" (repeat)");
            return text;
        }
        if (role == Qt::ToolTipRole && (padding || repeat))
            return padding ? tr("A DistributedSampler's padding: a repeat that evens out the ranks")
                           : tr("Drawn earlier in this epoch");
        return {};
    }
    if (c == Label) {
        if (role != Qt::DisplayRole) return {};
        const auto l = samples_->labels[r];
        if (l >= 0 && static_cast<std::size_t>(l) < samples_->class_names.size())
            return QString::fromStdString(samples_->class_names[std::size_t(l)]);
        return QString::number(l);
    }
    if (c == Position) {
        if (role != Qt::DisplayRole) return {};
        if (r < positions_.size()) return qint64(positions_[r]);
        return r < samples_->values.size() ? QString::fromStdString(samples_->values[r])
                                           : QString();
    }
    const auto t = static_cast<std::size_t>(c - FirstToken);
    if (t >= rows_[r].size()) return {};
    const std::int64_t id = rows_[r][t];
    const bool pad_cell = samples_->collate == CollateChoice::Padding && r < positions_.size() &&
                          static_cast<std::int64_t>(t) >= positions_[r];
    switch (role) {
    case Qt::DisplayRole:
        return word(id);
    case Qt::ToolTipRole:
        return tr("id %1").arg(id);
    case kIdRole:
        return QVariant::fromValue<qint64>(id);
    case Qt::ForegroundRole:
        if (pad_cell) return QBrush(QPalette().color(QPalette::Disabled, QPalette::Text));
        return {};
    default:
        return {};
    }
}

QVariant BatchTokenModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section;
    switch (section) {
    case Index:
        return tr("sample");
    case Label:
        return tr("label");
    case Position:
        if (!samples_) return tr("value");
        return samples_->collate == CollateChoice::Padding   ? tr("length")
               : samples_->collate == CollateChoice::Offsets ? tr("offset")
                                                             : tr("value");
    default:
        return section - FirstToken;
    }
}

} // namespace nnscope::ui
