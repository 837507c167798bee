#include "session/tensor_snapshot.h"

#include "engine/autograd/grad_mode.h"
#include "engine/tensor.h"
#include "io/model_document.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace nnscope::session {

namespace {

Slice2D make_slice(const Tensor& tensor, const SnapshotRequest& request) {
    Slice2D slice;
    const auto rank = static_cast<std::int64_t>(tensor.dim());
    Tensor view = tensor;
    if (rank > 2) {
        slice.leading = request.leading;
        slice.leading.resize(static_cast<std::size_t>(rank - 2), 0);
        for (std::int64_t d = 0; d < rank - 2; ++d) {
            const std::int64_t index = slice.leading[static_cast<std::size_t>(d)];
            const std::int64_t extent = tensor.shape()[static_cast<std::size_t>(d)];
            if (index < 0 || index >= extent)
                throw std::invalid_argument("slice index " + std::to_string(index) +
                                            " is out of range for dimension " + std::to_string(d) +
                                            " of size " + std::to_string(extent));
        }
        for (std::int64_t d = 0; d < rank - 2; ++d)
            view = view.select(0, slice.leading[static_cast<std::size_t>(d)]);
    }
    if (rank == 0) view = view.reshape({1, 1});
    if (rank == 1) view = view.unsqueeze(0);
    const std::int64_t rows = view.shape()[0], cols = view.shape()[1];
    const std::int64_t limit = std::max<std::int64_t>(1, request.max_slice_elements);
    if (rows * cols > limit) {
        // Each axis keeps up to sqrt(limit) samples, or more when the other axis is shorter and
        // leaves budget over: a 240000 x 1024 embedding becomes 512 x 512, not the 3810 x 17
        // strip one common step would give, and a [1, n] row uses the whole budget.
        const auto side = static_cast<std::int64_t>(std::sqrt(static_cast<double>(limit)));
        const std::int64_t col_budget = std::max<std::int64_t>({1, side, limit / rows});
        const std::int64_t row_budget = std::max<std::int64_t>({1, side, limit / cols});
        slice.col_step = (cols + col_budget - 1) / col_budget;
        slice.row_step = (rows + row_budget - 1) / row_budget;
        view = view.slice(0, 0, rows, slice.row_step).slice(1, 0, cols, slice.col_step);
    }
    slice.rows = view.shape()[0];
    slice.cols = view.shape()[1];
    const std::vector<double> values = view.to_vector();
    slice.values.assign(values.begin(), values.end());
    return slice;
}

// Only for tensors shaped like a convolution weight: small kernels, not any 4-D tensor.
std::optional<KernelGrid> make_kernels(const Tensor& tensor, const SnapshotRequest& request) {
    if (tensor.dim() != 4 || tensor.numel() == 0) return std::nullopt;
    KernelGrid grid;
    grid.kh = tensor.shape()[2];
    grid.kw = tensor.shape()[3];
    if (grid.kh > 32 || grid.kw > 32) return std::nullopt;
    grid.out = std::min(tensor.shape()[0], request.max_kernels);
    grid.in = std::min(tensor.shape()[1], request.max_kernels);
    const std::vector<double> values =
        tensor.narrow(0, 0, grid.out).narrow(1, 0, grid.in).to_vector();
    grid.values.assign(values.begin(), values.end());
    return grid;
}

} // namespace

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
    snapshot.dtype = std::string(dtype_name(tensor.dtype()));
    snapshot.role = entry.role;
    snapshot.role_inferred = entry.role_inferred;
    stats::TensorSummary summary = stats::summarize_tensor(tensor, request.bins, stop);
    snapshot.stats = summary.stats;
    snapshot.histogram = std::move(summary.histogram);
    if (stop()) throw SnapshotCancelled();
    snapshot.slice = make_slice(tensor, request);
    snapshot.kernels = make_kernels(tensor, request);
    return snapshot;
}

} // namespace nnscope::session
