#include "ui/lab/index_map.h"

#include "ui/lab/lab_plot.h"
#include "ui/tensor_view/colour_scale.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <qcustomplot.h>

namespace nnscope::ui {

namespace {

constexpr int kMaxLabelledRows = 24;

std::size_t size(const std::vector<std::uint8_t>* v) {
    return v ? v->size() : 0;
}

} // namespace

std::int64_t fillCells(QCPColorMapData& data, const std::vector<std::int64_t>& lengths,
                       const std::function<double(std::size_t, std::int64_t)>& value,
                       std::int64_t max_cells, bool mean) {
    const std::int64_t length =
        lengths.empty() ? 0 : *std::max_element(lengths.begin(), lengths.end());
    const std::int64_t per_cell = std::max<std::int64_t>(1, (length + max_cells - 1) / max_cells);
    const auto cells = std::max<std::int64_t>(1, (length + per_cell - 1) / per_cell);
    const int n = std::max(1, int(lengths.size()));
    data.setSize(int(cells), n);
    const double half = double(per_cell - 1) / 2;
    const double key_lo = half, key_hi = double((cells - 1) * per_cell) + half;
    // A one-cell axis needs a unit-wide range: QCustomPlot draws it with zero extent otherwise.
    data.setRange(cells == 1 ? QCPRange(key_lo - 0.5, key_hi + 0.5) : QCPRange(key_lo, key_hi),
                  n == 1 ? QCPRange(-0.5, 0.5) : QCPRange(0, n - 1));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    data.fill(nan);
    for (std::size_t r = 0; r < lengths.size(); ++r) {
        for (std::int64_t c = 0; c < cells; ++c) {
            const std::int64_t lo = c * per_cell;
            const std::int64_t hi = std::min(lo + per_cell, lengths[r]);
            if (lo >= hi) break;
            if (!mean) {
                data.setCell(int(c), int(r), value(r, lo));
                continue;
            }
            double sum = 0;
            for (std::int64_t p = lo; p < hi; ++p)
                sum += value(r, p);
            data.setCell(int(c), int(r), sum / double(hi - lo));
        }
    }
    return per_cell;
}

IndexMap::IndexMap(QCustomPlot& plot)
    : plot_(plot)
    , map_(new QCPColorMap(plot.xAxis, plot.yAxis))
    , scale_(new QCPColorScale(&plot))
    , marks_(plot.addGraph(plot.xAxis, plot.yAxis)) {
    plot.plotLayout()->addElement(0, 1, scale_);
    scale_->setType(QCPAxis::atRight);
    scale_->axis()->setLabel(QCoreApplication::translate("IndexMap", "dataset index"));
    map_->setColorScale(scale_);
    map_->setInterpolate(false);
    map_->setTightBoundary(false);
    auto* margins = new QCPMarginGroup(&plot);
    plot.axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    scale_->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    marks_->setLineStyle(QCPGraph::lsNone);
    marks_->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCross, QPen(Qt::red, 2), Qt::NoBrush, 9));
    marks_->setName(QCoreApplication::translate("IndexMap", "padding"));
    plot.xAxis->setLabel(QCoreApplication::translate("IndexMap", "position in the epoch"));
    plot.yAxis->setRangeReversed(true);
    plot.xAxis->grid()->setVisible(false);
    integerTicks(*plot.xAxis);
    plot.yAxis->grid()->setVisible(false);
}

void IndexMap::setRows(const std::vector<IndexRow>& rows, std::int64_t dataset_size,
                       const QStringList& labels) {
    rows_ = rows;
    std::vector<std::int64_t> lengths;
    for (const IndexRow& r : rows)
        lengths.push_back(std::int64_t(r.order->size()));
    length_ = lengths.empty() ? 0 : *std::max_element(lengths.begin(), lengths.end());
    const int n = std::max(1, int(rows.size()));
    per_cell_ = fillCells(
        *map_->data(), lengths,
        [&](std::size_t r, std::int64_t p) { return double((*rows[r].order)[std::size_t(p)]); },
        kMaxCells, false); // the mean of shuffled indices is flat: sample them instead
    QVector<double> keys, values;
    for (int r = 0; r < int(rows.size()); ++r) {
        for (std::size_t p = 0; p < size(rows[r].padding); ++p) {
            if (!(*rows[r].padding)[p]) continue;
            keys << double(p);
            values << double(r);
        }
    }
    marks_->setData(keys, values, true);
    marks_->setVisible(!keys.isEmpty());

    ColourScale colours =
        chooseColourScale(0, double(std::max<std::int64_t>(dataset_size - 1, 0)), plot_.palette());
    colours.gradient.setNanHandling(QCPColorGradient::nhTransparent);
    map_->setGradient(colours.gradient);
    map_->setDataRange(colours.range);

    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    if (n <= kMaxLabelledRows) {
        for (int r = 0; r < int(rows.size()) && r < labels.size(); ++r)
            ticker->addTick(r, labels[r]);
    }
    plot_.yAxis->setTicker(ticker);
    plot_.yAxis->setRange(QCPRange(-0.5, n - 0.5));
    plot_.xAxis->setRange(QCPRange(-0.5, double(std::max<std::int64_t>(length_, 1)) - 0.5));
}

std::optional<std::pair<int, std::int64_t>> IndexMap::cellAt(const QPointF& pos) const {
    const double x = plot_.xAxis->pixelToCoord(pos.x());
    const double y = plot_.yAxis->pixelToCoord(pos.y());
    if (!plot_.axisRect()->rect().contains(pos.toPoint())) return std::nullopt;
    const auto r = std::int64_t(std::floor(y + 0.5));
    const auto p = std::int64_t(std::floor(x + 0.5));
    if (r < 0 || r >= std::int64_t(rows_.size()) || p < 0 ||
        p >= std::int64_t(rows_[std::size_t(r)].order->size()))
        return std::nullopt;
    return std::pair{int(r), p};
}

QString IndexMap::resolutionText() const {
    if (per_cell_ <= 1) return {};
    return QCoreApplication::translate("IndexMap",
                                       "One cell = the index at the first of %1 consecutive "
                                       "positions (a sample: hover reads every position)")
        .arg(per_cell_);
}

} // namespace nnscope::ui
