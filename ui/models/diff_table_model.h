#pragma once
// The rows of a checkpoint comparison (workflows::CheckpointDiff, shared and immutable): one per
// tensor name, matched pairs with their figures, and the rows that could not be compared (only in
// A, only in B, another shape, unreadable) marked by their status and a tinted background. Every
// column sorts through SortRole (numbers as numbers; rows without figures sort below every
// matched pair when the order is descending).

#include "session/diff_job.h"

#include <QAbstractTableModel>

namespace nnscope::ui {

class DiffTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        Status,
        Shape,
        DType,
        Change,
        MaxAbs,
        Cosine,
        Differing,
        NonFinite,
        ColumnCount
    };
    enum DataRole { SortRole = Qt::UserRole + 1, TensorNameRole };

    explicit DiffTableModel(QObject* parent = nullptr);

    void setDiff(session::DiffResultPtr diff); // nullptr empties the table
    const session::DiffResultPtr& diff() const { return diff_; }
    const workflows::TensorComparison* comparison(int row) const; // nullptr when out of range

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVariant display(const workflows::TensorComparison& t, int column) const;
    QVariant sortKey(const workflows::TensorComparison& t, int column) const;

    session::DiffResultPtr diff_;
};

// A number as the tables show it: 4 significant digits, "inf", "–" for NaN.
QString diffNumber(double value, int precision = 4);

} // namespace nnscope::ui
