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
#include <limits>
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

// Which part of a 2-D slice to read: rows [row0, row0 + rows) and columns [col0, col0 + cols),
// cut at the slice's end; rows or cols < 0 mean "to the end". The whole slice by default.
struct SliceWindow {
    std::int64_t row0 = 0, col0 = 0;
    std::int64_t rows = -1, cols = -1;
};

// Which values of a tensor to read as a matrix: the 2-D slice tensor[leading...] (empty leading:
// the first one), the window of it, and at most `max_elements` values (more are strided down).
struct SliceRequest {
    std::vector<std::int64_t> leading;
    SliceWindow window;
    std::int64_t max_elements = 512 * 512;
};

// A window of tensor[leading...] as a rows x cols matrix, row-major, as doubles (exact for every
// dtype up to 2^53). For a 1-D tensor the slice has one row; for a 0-D tensor one row and one
// column. values[r * cols + c] is slice element (row0 + r * row_step, col0 + c * col_step): a
// window larger than its request's limit is strided down.
struct Slice2D {
    std::vector<std::int64_t> leading;         // indices of the dimensions before the last two
    std::int64_t full_rows = 0, full_cols = 0; // extent of the whole 2-D slice
    std::int64_t row0 = 0, col0 = 0;
    std::int64_t rows = 0, cols = 0;
    std::int64_t row_step = 1, col_step = 1;
    // Smallest and largest finite element of the whole 2-D slice (not only of the values read);
    // NaN when it has none or when nobody asked (a window's slice leaves them NaN).
    double finite_min = std::numeric_limits<double>::quiet_NaN();
    double finite_max = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> values;

    bool sampled() const { return row_step > 1 || col_step > 1; }
    // The slice's element count: what an export of the whole slice writes.
    std::int64_t full_elements() const { return full_rows * full_cols; }
};

// The kernels of a 4-D convolution weight [out, in, kh, kw] as a grid of small images, for at most
// `out` x `in` kernels (both capped by the request).
struct KernelGrid {
    std::int64_t out = 0, in = 0, kh = 0, kw = 0;
    std::vector<float> values; // [out][in][kh][kw], row-major
    // The weight's own channel counts, of which the grid holds the first out x in (0: all).
    std::int64_t total_out = 0, total_in = 0;
};

struct TensorSnapshot {
    std::string name; // dotted path in the document
    std::vector<std::int64_t> shape;
    // PyTorch's name: "float32", "int64", ...; a file's own name ("uint16") for a type the
    // engine reads widened (uint16 as int32), whose values are still exact.
    std::string dtype;
    io::TensorRole role = io::TensorRole::Unknown;
    bool role_inferred = false;
    std::string module; // whose output (or output gradient) a run tensor is; "" otherwise
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

// The values `request` asks for (a window of a 2-D slice, full resolution up to its limit), read
// without statistics: what the heatmap fetches when it is zoomed in and what a CSV export writes.
// Throws std::invalid_argument for a leading index or a window start out of range.
Slice2D make_tensor_slice(const Tensor& tensor, const SliceRequest& request);

} // namespace nnscope::session

Q_DECLARE_METATYPE(nnscope::session::TensorSnapshot)
