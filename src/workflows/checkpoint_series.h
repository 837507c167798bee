#pragma once
// A folder of checkpoints (one per epoch, say) as a sequence: the model files in natural order
// (epoch_2 before epoch_10), and for every tensor its statistics across the sequence, as series a
// plot draws as lines. One checkpoint per next() call; tensors are read chunk by chunk. No Qt.

#include "engine/stats/tensor_stats.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::io {
struct ModelDocument;
}

namespace nnscope::workflows {

// One value per checkpoint; NaN where the tensor is absent, unreadable or has no finite value.
struct TensorSeries {
    std::string name; // after stripping "module." (as CheckpointComparison matches names)
    // Over the finite elements, as stats::tensor_stats (std unbiased).
    std::vector<double> mean, std, min, max;
    std::vector<double> norm; // Euclidean norm of the finite elements
    // ||x_i - x_{i-1}|| / ||x_{i-1}|| (TensorDiff::relative_change); NaN for the first checkpoint
    // and where the previous one lacks the tensor or had another shape.
    std::vector<double> change;
};

struct CheckpointSeries {
    std::vector<std::string> files;    // file names, in natural order
    std::vector<std::string> skipped;  // "name: why" for files in the folder that are not read
    std::vector<TensorSeries> tensors; // in first-seen order
    const TensorSeries* find(std::string_view name) const;
};

// Natural order: runs of digits compare as numbers ("epoch_2" < "epoch_10"), the rest byte-wise.
bool natural_less(std::string_view a, std::string_view b);

// The model files directly in `dir` (those io::detect_model_format recognises), naturally sorted;
// `skipped` receives the other regular files with the reason. Throws std::runtime_error when
// `dir` is not a readable folder.
std::vector<std::filesystem::path> checkpoint_files(const std::filesystem::path& dir,
                                                    std::vector<std::string>* skipped = nullptr);

class SeriesBuilder {
public:
    // Lists the folder (throws as checkpoint_files, or when it holds no model file).
    explicit SeriesBuilder(const std::filesystem::path& dir);
    ~SeriesBuilder();

    bool done() const { return next_ >= files_.size(); }
    // Reads the next checkpoint: every tensor's statistics and its change from the previous one.
    // A file that cannot be opened is listed in `skipped` and its points stay NaN. Throws
    // stats::StatsCancelled when `stop` says so.
    void next(const stats::StopRequested& stop = {});
    double progress() const; // checkpoints read over checkpoints
    const CheckpointSeries& result() const { return series_; }
    CheckpointSeries take();

private:
    TensorSeries& seriesOf(const std::string& name);

    std::vector<std::filesystem::path> files_;
    std::size_t next_ = 0;
    std::unique_ptr<io::ModelDocument> previous_;
    CheckpointSeries series_;
    std::map<std::string, std::size_t> index_; // series_.tensors by name
};

} // namespace nnscope::workflows
