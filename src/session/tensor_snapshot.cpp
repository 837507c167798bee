#include "session/tensor_snapshot.h"

#include "engine/autograd/grad_mode.h"
#include "engine/tensor.h"
#include "io/model_document.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

namespace nnscope::session {

namespace {

// tensor[leading...] as a 2-D view (a 1-D tensor as one row, a 0-D one as one cell), with the
// leading indices it used (missing ones are 0).
Tensor matrix_view(const Tensor& tensor, std::vector<std::int64_t>& leading) {
    const auto rank = static_cast<std::int64_t>(tensor.dim());
    Tensor view = tensor;
    if (rank > 2) {
        leading.resize(static_cast<std::size_t>(rank - 2), 0);
        for (std::int64_t d = 0; d < rank - 2; ++d) {
            const std::int64_t index = leading[static_cast<std::size_t>(d)];
            const std::int64_t extent = tensor.shape()[static_cast<std::size_t>(d)];
            if (index < 0 || index >= extent)
                throw std::invalid_argument("slice index " + std::to_string(index) +
                                            " is out of range for dimension " + std::to_string(d) +
                                            " of size " + std::to_string(extent));
        }
        for (std::int64_t d = 0; d < rank - 2; ++d)
            view = view.select(0, leading[static_cast<std::size_t>(d)]);
    } else {
        leading.clear();
    }
    if (rank == 0) view = view.reshape({1, 1});
    if (rank == 1) view = view.unsqueeze(0);
    return view;
}

// [start, start + count) of an axis of `extent`, cut at its end; count < 0 means to the end.
std::pair<std::int64_t, std::int64_t> window_axis(std::int64_t start, std::int64_t count,
                                                  std::int64_t extent, const char* axis) {
    if (start < 0 || (start >= extent && extent > 0) || (extent == 0 && start != 0))
        throw std::invalid_argument(std::string("window ") + axis + " start " +
                                    std::to_string(start) + " is outside the slice's " +
                                    std::to_string(extent) + " " + axis + "s");
    const std::int64_t left = extent - start;
    return {start, count < 0 ? left : std::min(count, left)};
}

// Steps that keep rows x cols under `limit`: each axis keeps up to sqrt(limit) samples, or more
// when the other axis is shorter and leaves budget over: a 240000 x 1024 embedding becomes
// 512 x 512, not the 3810 x 17 strip one common step would give, and a [1, n] row uses the whole
// budget.
std::pair<std::int64_t, std::int64_t> steps_within(std::int64_t rows, std::int64_t cols,
                                                   std::int64_t limit) {
    limit = std::max<std::int64_t>(1, limit);
    if (rows * cols <= limit) return {1, 1};
    const auto side = static_cast<std::int64_t>(std::sqrt(static_cast<double>(limit)));
    const std::int64_t col_budget =
        std::max<std::int64_t>({1, side, limit / std::max<std::int64_t>(rows, 1)});
    const std::int64_t row_budget =
        std::max<std::int64_t>({1, side, limit / std::max<std::int64_t>(cols, 1)});
    return {(rows + row_budget - 1) / row_budget, (cols + col_budget - 1) / col_budget};
}

// Only for tensors shaped like a convolution weight: small kernels, not any 4-D tensor.
std::optional<KernelGrid> make_kernels(const Tensor& tensor, const SnapshotRequest& request) {
    if (tensor.dim() != 4 || tensor.numel() == 0) return std::nullopt;
    KernelGrid grid;
    grid.kh = tensor.shape()[2];
    grid.kw = tensor.shape()[3];
    if (grid.kh > 32 || grid.kw > 32) return std::nullopt;
    grid.total_out = tensor.shape()[0];
    grid.total_in = tensor.shape()[1];
    grid.out = std::min(grid.total_out, request.max_kernels);
    grid.in = std::min(grid.total_in, request.max_kernels);
    const std::vector<double> values =
        tensor.narrow(0, 0, grid.out).narrow(1, 0, grid.in).to_vector();
    grid.values.assign(values.begin(), values.end());
    return grid;
}

} // namespace

Slice2D make_tensor_slice(const Tensor& tensor, const SliceRequest& request) {
    autograd::NoGradGuard no_grad;
    Slice2D slice;
    slice.leading = request.leading;
    Tensor view = matrix_view(tensor, slice.leading);
    slice.full_rows = view.shape()[0];
    slice.full_cols = view.shape()[1];
    const auto [row0, rows] =
        window_axis(request.window.row0, request.window.rows, slice.full_rows, "row");
    const auto [col0, cols] =
        window_axis(request.window.col0, request.window.cols, slice.full_cols, "column");
    slice.row0 = row0;
    slice.col0 = col0;
    view = view.narrow(0, row0, rows).narrow(1, col0, cols);
    std::tie(slice.row_step, slice.col_step) = steps_within(rows, cols, request.max_elements);
    if (slice.sampled())
        view = view.slice(0, 0, rows, slice.row_step).slice(1, 0, cols, slice.col_step);
    slice.rows = view.shape()[0];
    slice.cols = view.shape()[1];
    slice.values = view.to_vector();
    return slice;
}

stats::StopRequested stop_on(const std::atomic<bool>* cancel, const std::atomic<bool>* yield) {
    return [cancel, yield] {
        return (cancel && cancel->load(std::memory_order_relaxed)) ||
               (yield && yield->load(std::memory_order_relaxed));
    };
}

TensorSnapshot make_tensor_snapshot(const io::TensorEntry& entry, const Tensor& tensor,
                                    const SnapshotRequest& request,
                                    const std::atomic<bool>* cancel_flag,
                                    const std::atomic<bool>* yield) {
    const stats::StopRequested stop = stop_on(cancel_flag, yield);
    autograd::NoGradGuard no_grad;
    TensorSnapshot snapshot;
    snapshot.name = entry.name;
    snapshot.shape = tensor.shape();
    snapshot.dtype =
        entry.stored_dtype.empty() ? std::string(dtype_name(tensor.dtype())) : entry.stored_dtype;
    snapshot.role = entry.role;
    snapshot.role_inferred = entry.role_inferred;
    stats::TensorSummary summary = stats::summarize_tensor(tensor, request.bins, stop);
    snapshot.stats = summary.stats;
    snapshot.histogram = std::move(summary.histogram);
    if (stop()) throw SnapshotCancelled();
    snapshot.slice = make_tensor_slice(tensor, {request.leading, {}, request.max_slice_elements});
    // The colour scale "per slice" needs the extremes of the whole slice, not of the samples: the
    // tensor's own for a matrix, another pass over the slice for a higher rank.
    if (tensor.dim() <= 2) {
        snapshot.slice.finite_min = snapshot.stats.min;
        snapshot.slice.finite_max = snapshot.stats.max;
    } else {
        std::vector<std::int64_t> leading = snapshot.slice.leading;
        const stats::TensorStats s = stats::tensor_stats(matrix_view(tensor, leading), stop);
        snapshot.slice.finite_min = s.min;
        snapshot.slice.finite_max = s.max;
    }
    snapshot.kernels = make_kernels(tensor, request);
    return snapshot;
}

} // namespace nnscope::session
