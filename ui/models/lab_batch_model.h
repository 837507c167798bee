#pragma once
// The DataLoader lab's table: one row per batch drawn (epoch, batch, dataset indices, labels),
// appended chunk by chunk as the simulation streams them; reset only when a new run starts.

#include "session/loader_simulation_job.h"

#include <QAbstractTableModel>
#include <vector>

namespace nnscope::ui {

class LabBatchModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Epoch, Batch, Indices, Labels, ColumnCount };

    explicit LabBatchModel(QObject* parent = nullptr);

    // Appends a chunk's batches (chunks keep their run's order: chunk.first is rowCount()).
    void append(const session::LoaderBatchesPtr& chunk);
    void clear();
    const workflows::LoaderBatch& batch(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    // Rows point into the chunks, which are immutable and shared with nobody who changes them.
    std::vector<session::LoaderBatchesPtr> chunks_;
    std::vector<const workflows::LoaderBatch*> rows_;
};

} // namespace nnscope::ui
