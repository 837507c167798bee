#include "engine/stats/tensor_stats.h"

#include "engine/stats/chunks.h"

#include <cmath>
#include <limits>
#include <string>

namespace nnscope::stats {

namespace {

using detail::for_each_chunk;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Counts, extremes and mean (the spread needs the mean: second pass).
TensorStats first_pass(const Tensor& t, const StopRequested& stop) {
    TensorStats s;
    s.numel = t.numel();
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    double sum = 0;
    for_each_chunk(t, stop, [&](const auto* v, std::int64_t n) {
        for (std::int64_t i = 0; i < n; ++i) {
            const double x = static_cast<double>(v[i]);
            if (std::isnan(x)) {
                ++s.nan;
            } else if (std::isinf(x)) {
                ++(x > 0 ? s.pos_inf : s.neg_inf);
            } else {
                ++s.finite;
                s.zeros += x == 0;
                lo = std::min(lo, x);
                hi = std::max(hi, x);
                sum += x;
            }
        }
    });
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
    const auto pos = static_cast<std::int64_t>((x - lo) * static_cast<T>(bins) / (hi - lo));
    return pos == bins ? bins - 1 : pos;
}

// The spread around `stats.mean` (when `stats` is given) and the histogram (when given), in one
// pass over the finite elements.
void second_pass(const Tensor& t, const StopRequested& stop, TensorStats* stats,
                 Histogram* histogram) {
    double squares = 0;
    const auto bins = histogram ? static_cast<std::int64_t>(histogram->counts.size()) : 0;
    const double mean = stats ? stats->mean : 0;
    for_each_chunk(t, stop, [&](const auto* v, std::int64_t n) {
        using T = std::remove_cv_t<std::remove_pointer_t<decltype(v)>>;
        const T lo = histogram ? static_cast<T>(histogram->lo) : T{};
        const T hi = histogram ? static_cast<T>(histogram->hi) : T{};
        for (std::int64_t i = 0; i < n; ++i) {
            if (!std::isfinite(v[i])) continue;
            const double d = static_cast<double>(v[i]) - mean;
            squares += d * d;
            if (!histogram) continue;
            const std::int64_t bin = histc_bin<T>(v[i], lo, hi, bins);
            if (bin >= 0) ++histogram->counts[static_cast<std::size_t>(bin)];
        }
    });
    if (stats && stats->finite > 1)
        stats->std = std::sqrt(squares / static_cast<double>(stats->finite - 1));
}

Histogram empty_histogram(int bins, double lo, double hi) {
    if (bins < 1)
        throw std::invalid_argument("a histogram needs at least one bin, got " +
                                    std::to_string(bins));
    if (lo > hi)
        throw std::invalid_argument("histc: max must be larger than min, got min " +
                                    std::to_string(lo) + " and max " + std::to_string(hi));
    if (lo == hi) { // histc widens an empty range
        lo -= 1;
        hi += 1;
    }
    return Histogram{lo, hi, std::vector<std::int64_t>(static_cast<std::size_t>(bins), 0)};
}

} // namespace

double TensorStats::zero_fraction() const {
    return numel ? static_cast<double>(zeros) / static_cast<double>(numel) : 0.0;
}

TensorStats tensor_stats(const Tensor& tensor, const StopRequested& stop) {
    TensorStats s = first_pass(tensor, stop);
    second_pass(tensor, stop, &s, nullptr);
    return s;
}

Histogram histc(const Tensor& tensor, int bins, double lo, double hi, const StopRequested& stop) {
    Histogram h = empty_histogram(bins, lo, hi);
    second_pass(tensor, stop, nullptr, &h);
    return h;
}

TensorSummary summarize_tensor(const Tensor& tensor, int bins, const StopRequested& stop) {
    empty_histogram(bins, 0, 0); // refuse bad bins before reading anything
    TensorSummary out;
    out.stats = first_pass(tensor, stop);
    const bool any = out.stats.finite > 0;
    out.histogram = empty_histogram(bins, any ? out.stats.min : 0, any ? out.stats.max : 0);
    second_pass(tensor, stop, &out.stats, &out.histogram);
    return out;
}

} // namespace nnscope::stats
