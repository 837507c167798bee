#pragma once
// The DataLoader lab's worker table: one row per (epoch, worker) with the worker's torch seed
// (base_seed + worker), the samples it loads, and the first draws of a numpy-like library in it,
// unseeded (inherited by every forked worker: rows repeat) and seeded by worker_init_fn. The
// "repeats" column names the earlier row whose unseeded draws this one repeats.

#include "workflows/loader_analysis.h"

#include <QAbstractTableModel>

namespace nnscope::ui {

// For each stream: the first earlier stream whose draws (unseeded or seeded, as asked) are the
// same over the length both have, or -1.
std::vector<int> repeatedStreams(const std::vector<workflows::WorkerStream>& streams, bool seeded);

class LabWorkerModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Epoch, Worker, TorchSeed, Samples, Unseeded, Seeded, Repeats, ColumnCount };
    // Draws shown in a cell; the tooltip has them all.
    static constexpr int kShownDraws = 4;

    explicit LabWorkerModel(QObject* parent = nullptr);

    // A new analysis replaces every row.
    void setAnalysis(const workflows::LoaderAnalysisPtr& analysis);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    workflows::LoaderAnalysisPtr analysis_; // immutable: rows read it in place
    std::vector<int> repeats_;
};

} // namespace nnscope::ui
