#pragma once
// The tensors of a folder of checkpoints (workflows::CheckpointSeries, shared and immutable): one
// row per tensor with how many checkpoints hold it, its norm at the first and last of them and
// its largest and last change between neighbours. Every column sorts through SortRole.

#include "session/diff_job.h"

#include <QAbstractTableModel>

namespace nnscope::ui {

class DiffSeriesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Present, FirstNorm, LastNorm, LargestChange, LastChange, ColumnCount };
    enum DataRole { SortRole = Qt::UserRole + 1, TensorNameRole };

    explicit DiffSeriesModel(QObject* parent = nullptr);

    void setSeries(session::SeriesResultPtr series); // nullptr empties the table
    const session::SeriesResultPtr& series() const { return series_; }
    const workflows::TensorSeries* tensor(int row) const; // nullptr when out of range

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    double value(const workflows::TensorSeries& t, int column) const; // NaN when none

    session::SeriesResultPtr series_;
};

} // namespace nnscope::ui
