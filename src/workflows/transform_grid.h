#pragma once
// The DataLoader lab's transform preview: N samples of an image data set by K seeds, each cell
// one preview_transform (so identical to `nnscope-cli transform --index I --seed S`, and so to
// torchvision 0.14 after torch.manual_seed(S)), with its stages for the large view.
//
// Columns are seeds. The lab offers two kinds of column: K consecutive seeds S, S+1, ..., or K
// epochs of the configured loader, where the column of epoch e uses that epoch's base seed
// (LoaderAnalysis' EpochDraw::base_seed): the seed of worker 0's generator when the epoch starts,
// so the cell is what the first sample worker 0 loads in epoch e would draw (later samples of a
// worker draw on from where the earlier ones left its generator; the batch inspector shows those
// exactly). Indices are those of the named data set, as the CLI's --index.

#include "data/mnist.h"
#include "data/transforms/transform.h"
#include "workflows/loader_analysis.h"
#include "workflows/transform_preview.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::workflows {

struct TransformGridCell {
    std::int64_t index = 0;
    std::uint64_t seed = 0;
    TransformPreview preview; // with stages
};

struct TransformGrid {
    std::vector<std::int64_t> indices;    // rows
    std::vector<std::uint64_t> seeds;     // columns
    std::vector<TransformGridCell> cells; // row by row
    const TransformGridCell& at(std::size_t row, std::size_t column) const {
        return cells[row * seeds.size() + column];
    }
};
using TransformGridPtr = std::shared_ptr<const TransformGrid>;

// What the lab asks for: the configuration's data set and pipeline, the rows and the columns.
struct TransformGridRequest {
    std::string dataset; // a DataLoaderConfig's dataset spec (an image data set)
    bool test_split = false;
    std::string transform; // the pipeline text; empty: the picture as stored
    std::vector<std::int64_t> indices;
    std::vector<std::uint64_t> seeds;
    bool operator==(const TransformGridRequest&) const = default;
};

// Every cell of indices x seeds; std::out_of_range naming an index outside the data set.
// nullptr when `cancel` is raised before it is done.
TransformGridPtr make_transform_grid(const data::MnistDataset& dataset,
                                     const std::vector<std::int64_t>& indices,
                                     const data::Transform& transform,
                                     const std::vector<std::uint64_t>& seeds,
                                     const std::atomic<bool>* cancel = nullptr);

// The most samples a grid shows.
inline constexpr std::size_t kMaxGridSamples = 64;

// "0-7", "3, 5, 10-12": indices and inclusive ranges, in the order written. std::invalid_argument
// naming the bad part (not a number, a range that runs backwards, an index outside [0, size),
// more than kMaxGridSamples samples, nothing at all).
std::vector<std::int64_t> parse_index_list(std::string_view text, std::int64_t size);

// K columns: seeds first, first + 1, ...
std::vector<std::uint64_t> consecutive_seeds(std::uint64_t first, std::size_t k);
// K columns: the base seeds of the analysis' first K epochs (fewer when it has fewer).
std::vector<std::uint64_t> epoch_seeds(const LoaderAnalysis& analysis, std::size_t k);

// One line per random transform of a cell, short: "crop top=3 left=1", "angle 12.7°", "flipped".
std::vector<std::string> describe_drawn(const std::vector<data::Drawn>& drawn);

} // namespace nnscope::workflows
