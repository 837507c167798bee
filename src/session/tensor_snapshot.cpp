#include "session/tensor_snapshot.h"

#include "engine/autograd/grad_mode.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace nnscope::session {

namespace {

constexpr std::int64_t kChunk = 1 << 20; // elements between two looks at the cancel flag

// The flags a snapshot in progress gives way to.
struct Stop {
    const std::atomic<bool>* cancel = nullptr;
    const std::atomic<bool>* yield = nullptr;
};

void check_cancel(const Stop& stop) {
    if ((stop.cancel && stop.cancel->load(std::memory_order_relaxed)) ||
        (stop.yield && stop.yield->load(std::memory_order_relaxed)))
        throw SnapshotCancelled();
}

// Calls fn(const T* values, n) over the tensor's elements in row-major order, chunk by chunk, with
// T = float for float32 (read in place), double for everything else (converted per chunk).
template <class Fn> void for_each_chunk(const Tensor& flat, const Stop& cancel, Fn&& fn) {
    const std::int64_t n = flat.numel();
    for (std::int64_t start = 0; start < n; start += kChunk) {
        check_cancel(cancel);
        const std::int64_t length = std::min(kChunk, n - start);
        const Tensor part = flat.narrow(0, start, length);
        if (flat.dtype() == DType::Float32)
            fn(part.data_ptr<float>(), length);
        else if (flat.dtype() == DType::Float64)
            fn(part.data_ptr<double>(), length);
        else
            fn(part.to(DType::Float64).contiguous().data_ptr<double>(), length);
    }
}

TensorStats first_pass(const Tensor& flat, const Stop& cancel, double& sum) {
    TensorStats s;
    s.numel = flat.numel();
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    sum = 0;
    for_each_chunk(flat, cancel, [&](const auto* v, std::int64_t n) {
        for (std::int64_t i = 0; i < n; ++i) {
            const double x = static_cast<double>(v[i]);
            if (std::isnan(x)) {
                ++s.nan;
            } else if (std::isinf(x)) {
                ++(x > 0 ? s.pos_inf : s.neg_inf);
            } else {
                ++s.finite;
                lo = std::min(lo, x);
                hi = std::max(hi, x);
                sum += x;
            }
        }
    });
    const double nan = std::numeric_limits<double>::quiet_NaN();
    s.min = s.finite ? lo : nan;
    s.max = s.finite ? hi : nan;
    s.mean = s.finite ? sum / static_cast<double>(s.finite) : nan;
    s.std = nan;
    return s;
}

// torch.histc's bin of x: (x - lo) * bins / (hi - lo) truncated, in the element type T, with
// the right edge belonging to the last bin; -1 for an element outside [lo, hi].
template <class T> std::int64_t histc_bin(T x, T lo, T hi, std::int64_t bins) {
    if (!(x >= lo && x <= hi)) return -1;
    std::int64_t pos = static_cast<std::int64_t>((x - lo) * static_cast<T>(bins) / (hi - lo));
    return pos == bins ? bins - 1 : pos;
}

void second_pass(const Tensor& flat, const Stop& cancel, TensorStats& stats, Histogram& histogram) {
    double squares = 0;
    const auto bins = static_cast<std::int64_t>(histogram.counts.size());
    for_each_chunk(flat, cancel, [&](const auto* v, std::int64_t n) {
        using T = std::remove_cv_t<std::remove_pointer_t<decltype(v)>>;
        const T lo = static_cast<T>(histogram.lo);
        const T hi = static_cast<T>(histogram.hi);
        for (std::int64_t i = 0; i < n; ++i) {
            if (!std::isfinite(v[i])) continue;
            const double d = static_cast<double>(v[i]) - stats.mean;
            squares += d * d;
            const std::int64_t bin = histc_bin<T>(v[i], lo, hi, bins);
            if (bin >= 0) ++histogram.counts[static_cast<std::size_t>(bin)];
        }
    });
    if (stats.finite > 1) stats.std = std::sqrt(squares / static_cast<double>(stats.finite - 1));
}

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

TensorSnapshot make_tensor_snapshot(const io::TensorEntry& entry, const Tensor& tensor,
                                    const SnapshotRequest& request,
                                    const std::atomic<bool>* cancel_flag,
                                    const std::atomic<bool>* yield) {
    const Stop cancel{cancel_flag, yield};
    if (request.bins < 1)
        throw std::invalid_argument("a histogram needs at least one bin, got " +
                                    std::to_string(request.bins));
    autograd::NoGradGuard no_grad;
    TensorSnapshot snapshot;
    snapshot.name = entry.name;
    snapshot.shape = tensor.shape();
    snapshot.dtype = std::string(dtype_name(tensor.dtype()));
    snapshot.role = entry.role;
    snapshot.role_inferred = entry.role_inferred;

    const Tensor flat = tensor.contiguous().reshape({tensor.numel()});
    double sum = 0;
    snapshot.stats = first_pass(flat, cancel, sum);
    Histogram& h = snapshot.histogram;
    h.counts.assign(static_cast<std::size_t>(request.bins), 0);
    if (snapshot.stats.finite > 0) {
        h.lo = snapshot.stats.min;
        h.hi = snapshot.stats.max;
    }
    if (h.lo == h.hi) { // histc widens an empty range
        h.lo -= 1;
        h.hi += 1;
    }
    second_pass(flat, cancel, snapshot.stats, h);
    check_cancel(cancel);
    snapshot.slice = make_slice(tensor, request);
    snapshot.kernels = make_kernels(tensor, request);
    return snapshot;
}

} // namespace nnscope::session
