#include "ui/models/lab_worker_model.h"

#include <QStringList>

namespace nnscope::ui {

namespace {

QString draws(const std::vector<double>& values, std::size_t most) {
    QStringList parts;
    for (std::size_t i = 0; i < values.size() && i < most; ++i)
        parts << QString::number(values[i], 'f', 4);
    if (values.size() > most) parts << QStringLiteral("…");
    return parts.join(QStringLiteral(", "));
}

QString indices(const std::vector<std::int64_t>& values) {
    QStringList parts;
    for (auto v : values)
        parts << QString::number(v);
    return parts.join(QStringLiteral(", "));
}

bool sameDraws(const std::vector<double>& a, const std::vector<double>& b) {
    const std::size_t n = std::min(a.size(), b.size());
    return n > 0 && std::equal(a.begin(), a.begin() + std::ptrdiff_t(n), b.begin());
}

} // namespace

std::vector<int> repeatedStreams(const std::vector<workflows::WorkerStream>& streams, bool seeded) {
    std::vector<int> out(streams.size(), -1);
    for (std::size_t i = 0; i < streams.size(); ++i) {
        const auto& mine = seeded ? streams[i].seeded : streams[i].unseeded;
        for (std::size_t j = 0; j < i && out[i] < 0; ++j)
            if (sameDraws(mine, seeded ? streams[j].seeded : streams[j].unseeded)) out[i] = int(j);
    }
    return out;
}

LabWorkerModel::LabWorkerModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void LabWorkerModel::setAnalysis(const workflows::LoaderAnalysisPtr& analysis) {
    beginResetModel();
    analysis_ = analysis;
    repeats_ = analysis_ ? repeatedStreams(analysis_->workers, false) : std::vector<int>{};
    endResetModel();
}

int LabWorkerModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !analysis_ ? 0 : int(analysis_->workers.size());
}

int LabWorkerModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LabWorkerModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const auto& w = analysis_->workers[std::size_t(index.row())];
    const auto repeat = repeats_[std::size_t(index.row())];
    if (role == Qt::DisplayRole) {
        switch (Column(index.column())) {
        case Epoch:
            return qlonglong(w.epoch);
        case Worker:
            return w.worker;
        case TorchSeed:
            return QString::number(w.torch_seed);
        case Samples:
            return qlonglong(w.indices.size());
        case Unseeded:
            return draws(w.unseeded, kShownDraws);
        case Seeded:
            return draws(w.seeded, kShownDraws);
        case Repeats: {
            if (repeat < 0) return QString();
            const auto& r = analysis_->workers[std::size_t(repeat)];
            return tr("epoch %1, worker %2").arg(r.epoch).arg(r.worker);
        }
        case ColumnCount:
            break;
        }
    } else if (role == Qt::ToolTipRole) {
        switch (Column(index.column())) {
        case Samples:
            return indices(w.indices);
        case Unseeded:
            return draws(w.unseeded, w.unseeded.size());
        case Seeded:
            return draws(w.seeded, w.seeded.size());
        default:
            break;
        }
    } else if (role == Qt::TextAlignmentRole && index.column() <= Samples) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant LabWorkerModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal) return {};
    switch (Column(section)) {
    case Epoch:
        return tr("Epoch");
    case Worker:
        return tr("Worker");
    case TorchSeed:
        return tr("Torch seed");
    case Samples:
        return tr("Samples");
    case Unseeded:
        return tr("Unseeded draws");
    case Seeded:
        return tr("Seeded draws");
    case Repeats:
        return tr("Unseeded repeats");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace nnscope::ui
