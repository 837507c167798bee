#pragma once
// What the window may know about one tensor: a read-only copy made in the worker thread, small
// enough to cross threads in a queued signal whatever the tensor's size. The worker computes the
// statistics, the histogram and the one 2-D slice the view asked for; the GUI never touches the
// tensor itself.

#include "engine/tensor.h"
#include "io/model_document.h"

#include <QMetaType>
#include <atomic>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace nnscope::session {

struct TensorStats {
    std::int64_t numel = 0;
    std::int64_t finite = 0; // elements that are neither NaN nor +-Inf
    std::int64_t nan = 0;
    std::int64_t pos_inf = 0;
    std::int64_t neg_inf = 0;
    // Over the finite elements only (NaN when there are none); std is the unbiased one, as
    // torch.std.
    double min = 0, max = 0, mean = 0, std = 0;
};

// Equal-width bins over [lo, hi] of the finite elements, as torch.histc(t, bins, lo, hi): an
// element equal to hi falls in the last bin. lo == hi (a constant tensor) widens the range to
// [lo - 1, hi + 1], as histc does for min == max.
struct Histogram {
    double lo = 0, hi = 0;
    std::vector<std::int64_t> counts;
};

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
    std::string role;  // "parameter", "buffer" or "unknown"
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

// Thrown by make_tensor_snapshot when one of its cancel flags was raised between two chunks.
struct SnapshotCancelled : std::runtime_error {
    SnapshotCancelled()
        : std::runtime_error("tensor snapshot cancelled") {}
};

// Computes the snapshot of `tensor` (the data of `entry`) in one pass for the statistics and one
// for the histogram and the spread, chunk by chunk so that `cancel` (when given) is checked often
// even for a 1 GB tensor (as is `yield`: a second reason to stop, such as a more urgent job
// waiting). Floating-point bins are computed in the tensor's own type as torch.histc does; other
// dtypes in float64. Throws std::invalid_argument for a leading index out of range.
TensorSnapshot make_tensor_snapshot(const io::TensorEntry& entry, const Tensor& tensor,
                                    const SnapshotRequest& request,
                                    const std::atomic<bool>* cancel = nullptr,
                                    const std::atomic<bool>* yield = nullptr);

} // namespace nnscope::session

Q_DECLARE_METATYPE(nnscope::session::TensorSnapshot)
