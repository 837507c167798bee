#pragma once
// Rows of dataset indices (the epochs of a loader, the ranks of a DistributedSampler) as one
// colour map: a row per sequence, a column per position, the colour the dataset index drawn there.
// Long sequences are shown at reduced resolution: a cell covers `perCell()` consecutive positions
// and shows their mean index (so a sequential order stays a ramp and a shuffled one turns flat);
// the hover still reads the exact position. A DistributedSampler's padding positions are marked
// with crosses over the map.

#include <QStringList>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

class QCustomPlot;
class QCPColorMap;
class QCPColorMapData;
class QCPColorScale;
class QCPGraph;
class QPointF;

namespace nnscope::ui {

// Sets `data` to a row per entry of `lengths` and a cell per `per_cell` consecutive positions,
// each cell the mean of value(row, position) over its positions (or, with `mean` false, the value
// at its first position: a sample, which keeps noise visible where a mean flattens it), NaN past
// the row's end, with per_cell chosen so that a row has at most `max_cells` cells; x is the
// position (a cell sits at the centre of its positions), y the row. Returns per_cell.
std::int64_t fillCells(QCPColorMapData& data, const std::vector<std::int64_t>& lengths,
                       const std::function<double(std::size_t, std::int64_t)>& value,
                       std::int64_t max_cells, bool mean = true);

struct IndexRow {
    const std::vector<std::int64_t>* order = nullptr;
    const std::vector<std::uint8_t>* padding = nullptr; // may be null or empty: no padding
};

class IndexMap {
public:
    // At most this many cells per row.
    static constexpr std::int64_t kMaxCells = 600;

    // Adds the map, its colour scale and the padding marks to `plot`'s axis rect (x: position,
    // y: row, row 0 on top).
    explicit IndexMap(QCustomPlot& plot);

    // Row labels go on the y axis when there are few enough rows to read them.
    void setRows(const std::vector<IndexRow>& rows, std::int64_t dataset_size,
                 const QStringList& labels);

    // (row, position) under `pos` (pixels of the plot), when a drawn position is there.
    std::optional<std::pair<int, std::int64_t>> cellAt(const QPointF& pos) const;

    QCPColorMap* colorMap() const { return map_; }
    QCPGraph* paddingMarks() const { return marks_; }
    // Positions per cell (1: full resolution) and the longest row.
    std::int64_t perCell() const { return per_cell_; }
    std::int64_t length() const { return length_; }
    const std::vector<IndexRow>& rows() const { return rows_; }
    // "one cell = the mean index of 100 positions" when reduced, else empty.
    QString resolutionText() const;

private:
    QCustomPlot& plot_;
    QCPColorMap* map_;
    QCPColorScale* scale_;
    QCPGraph* marks_;
    std::vector<IndexRow> rows_;
    std::int64_t per_cell_ = 1;
    std::int64_t length_ = 0;
};

} // namespace nnscope::ui
