#pragma once
// The batch inspector's table for batches that are not images: one row per sample with its
// dataset index, its label and, for text, the token ids the model gets shown as words (padding
// collate: the padded matrix, "<pad>" cells greyed; offsets collate: the sample's span of the flat
// ids, with its offset); for other data sets the sample's value. Tool tips give the token ids.
// Holds the immutable BatchSamples it shows.

#include "workflows/batch_samples.h"

#include <QAbstractTableModel>

namespace nnscope::ui {

class BatchTokenModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Index = 0, Label = 1, Position = 2, FirstToken = 3 };
    static constexpr int kIdRole = Qt::UserRole + 1; // a token cell's id (qint64)

    using QAbstractTableModel::QAbstractTableModel;

    void setSamples(workflows::BatchSamplesPtr samples,
                    std::vector<workflows::SampleMark> marks = {});
    // The matrix's width: the longest row (padding: L; offsets: the longest span).
    int tokenColumns() const { return token_columns_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QString word(std::int64_t id) const;

    workflows::BatchSamplesPtr samples_;
    std::vector<workflows::SampleMark> marks_;
    std::vector<std::vector<std::int64_t>> rows_; // token ids per row (padding: the full row)
    std::vector<std::int64_t> positions_;         // per row: its length (padding), offset
    int token_columns_ = 0;
};

} // namespace nnscope::ui
