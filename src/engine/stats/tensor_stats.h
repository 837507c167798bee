#pragma once
// Statistics of any tensor, whatever its dtype, strides or size: min/max/mean/std and the zero
// fraction over its finite elements, its NaN and infinity counts, and torch.histc histograms. The
// tensor is read in chunks of about a million elements in row-major order (a strided view is
// gathered chunk by chunk, never copied whole), and a stop predicate is asked before every chunk,
// so a caller can abandon a 1 GB tensor within milliseconds. Plain value results, no Qt.

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <vector>

namespace nnscope {
class Tensor;
}

namespace nnscope::stats {

struct TensorStats {
    std::int64_t numel = 0;
    std::int64_t finite = 0; // elements that are neither NaN nor +-Inf
    std::int64_t nan = 0;
    std::int64_t pos_inf = 0;
    std::int64_t neg_inf = 0;
    // Over the finite elements only (NaN when there are none); std is the unbiased one, as
    // torch.std (NaN for fewer than two finite elements).
    double min = 0, max = 0, mean = 0, std = 0;
    std::int64_t zeros = 0; // elements equal to zero (+0 or -0)

    double zero_fraction() const; // zeros / numel; 0 for an empty tensor
};

// Equal-width bins over [lo, hi] of the finite elements, as torch.histc(t, bins, lo, hi): an
// element equal to hi falls in the last bin, elements outside [lo, hi] in none.
struct Histogram {
    double lo = 0, hi = 0;
    std::vector<std::int64_t> counts;
};

struct TensorSummary {
    TensorStats stats;
    Histogram histogram;
};

// Asked before each chunk; true stops the computation with StatsCancelled.
using StopRequested = std::function<bool()>;

struct StatsCancelled : std::runtime_error {
    StatsCancelled()
        : std::runtime_error("tensor statistics cancelled") {}
};

// Elements between two calls of the stop predicate.
inline constexpr std::int64_t chunk_elements = std::int64_t(1) << 20;

// Statistics in two passes over the tensor (the second for the spread).
TensorStats tensor_stats(const Tensor& tensor, const StopRequested& stop = {});

// torch.histc(tensor, bins, lo, hi) over the finite elements; lo == hi widens the range to
// [lo - 1, hi + 1] as histc does. Bins are computed in the tensor's own type for float32 and
// float64 (float rounding decides which bin an element on an edge lands in, as in PyTorch), in
// float64 for the other dtypes. Throws std::invalid_argument for bins < 1 or lo > hi.
Histogram histc(const Tensor& tensor, int bins, double lo, double hi,
                const StopRequested& stop = {});

// The statistics and the histogram over [min, max] of the finite elements (torch.histc's default
// range), in two passes: what a tensor view shows.
TensorSummary summarize_tensor(const Tensor& tensor, int bins, const StopRequested& stop = {});

} // namespace nnscope::stats
