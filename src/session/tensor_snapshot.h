#pragma once
// What the window may know about one tensor: a read-only copy made in the worker thread, small
// enough to cross threads in a queued signal whatever the tensor's size. The worker computes the
// statistics, the histogram and the one 2-D slice the view asked for; the GUI never touches the
// tensor itself.

#include "engine/stats/tensor_stats.h"
#include "io/tensor_role.h"

#include <QMetaType>
#include <atomic>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nnscope {
class Tensor;
}
namespace nnscope::io {
struct TensorEntry;
}

namespace nnscope::session {

// Counts, extremes, mean, std and zero fraction over the finite elements (engine/stats).
using TensorStats = stats::TensorStats;
// torch.histc bins over [min, max] of the finite elements, widened by one each side when
// constant.
using Histogram = stats::Histogram;

// tensor[leading...] as a rows x cols matrix, row-major, converted to float. For a 1-D tensor
// rows = 1; for a 0-D tensor rows = cols = 1. Bounded: a slice larger than the request's limit is
// strided down (row_step / col_step say by how much).
struct Slice2D {
    std::vector<std::int64_t> leading; // indices of the dimensions before the last two
    std::int64_t rows = 0, cols = 0;
    std::int64_t row_step = 1, col_step = 1;
    std::vector<float> values;
};

// The kernels of a 4-D convolution weight [out, in, kh, kw] as a grid of small images, for at most
// `out` x `in` kernels (both capped by the request).
struct KernelGrid {
    std::int64_t out = 0, in = 0, kh = 0, kw = 0;
    std::vector<float> values; // [out][in][kh][kw], row-major
};

struct TensorSnapshot {
    std::string name; // dotted path in the document
    std::vector<std::int64_t> shape;
    std::string dtype; // PyTorch's name: "float32", "int64", ...
    io::TensorRole role = io::TensorRole::Unknown;
    bool role_inferred = false;
    TensorStats stats;
    Histogram histogram;
    Slice2D slice;
    std::optional<KernelGrid> kernels;
};

struct SnapshotRequest {
    int bins = 64;
    std::vector<std::int64_t> leading; // which 2-D slice (empty: the first one)
    std::int64_t max_slice_elements = 512 * 512;
    std::int64_t max_kernels = 64; // per side of the kernel grid
};

// Thrown by make_tensor_snapshot when one of its cancel flags was raised between two chunks: the
// statistics' own exception, which is where the flags are looked at.
using SnapshotCancelled = stats::StatsCancelled;

// The stop predicate of a job's chunked loops: true once `cancel` or `yield` (either may be null)
// is raised.
stats::StopRequested stop_on(const std::atomic<bool>* cancel, const std::atomic<bool>* yield);

// Computes the snapshot of `tensor` (the data of `entry`) with stats::summarize_tensor, which reads
// it chunk by chunk so that `cancel` (when given) is checked often even for a 1 GB strided tensor
// (as is `yield`: a second reason to stop, such as a more urgent job waiting). Throws
// SnapshotCancelled when stopped, std::invalid_argument for bins < 1 or a leading index out of
// range.
TensorSnapshot make_tensor_snapshot(const io::TensorEntry& entry, const Tensor& tensor,
                                    const SnapshotRequest& request,
                                    const std::atomic<bool>* cancel = nullptr,
                                    const std::atomic<bool>* yield = nullptr);

} // namespace nnscope::session

Q_DECLARE_METATYPE(nnscope::session::TensorSnapshot)
