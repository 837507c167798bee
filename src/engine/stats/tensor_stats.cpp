#include "engine/stats/tensor_stats.h"

#include "engine/stats/chunks.h"

#include <cmath>
#include <limits>
#include <optional>
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

// --- the fast path: contiguous float32 tensors without NaN or infinity (activations and
// gradients, what the training probe reads every step). Lanes of 16 independent accumulators
// let the compiler vectorise without reordering any one sum.
constexpr int lanes = 16;

const float* contiguous_floats(const Tensor& t) {
    if (t.dtype() != DType::Float32 || !t.is_contiguous() || t.numel() == 0) return nullptr;
    return reinterpret_cast<const float*>(t.storage()->data()) + t.offset();
}

// Counts, extremes and moments in one pass. The moments are taken about the first element
// (shifted sums), so the spread keeps its precision when the mean is large against it. Nothing
// when an element is not finite: the two-pass walk then counts them.
std::optional<TensorStats> fused_stats(const float* v, std::int64_t n, const StopRequested& stop) {
    const float shift = v[0];
    if (!std::isfinite(shift)) return std::nullopt;
    float lo[lanes], hi[lanes];
    double s1[lanes] = {}, s2[lanes] = {};
    std::int64_t zeros[lanes] = {};
    for (int j = 0; j < lanes; ++j)
        lo[j] = hi[j] = shift;
    const auto k = static_cast<double>(shift);
    double t1 = 0, t2 = 0; // the tail
    std::int64_t tail_zeros = 0;
    for (std::int64_t start = 0; start < n; start += chunk_elements) {
        detail::check_stop(stop);
        const std::int64_t end = std::min(n, start + chunk_elements);
        std::int64_t i = start;
        for (; i + lanes <= end; i += lanes)
            for (int j = 0; j < lanes; ++j) {
                const float x = v[i + j];
                lo[j] = x < lo[j] ? x : lo[j];
                hi[j] = x > hi[j] ? x : hi[j];
                zeros[j] += x == 0.0f;
                const double d = static_cast<double>(x) - k;
                s1[j] += d;
                s2[j] += d * d;
            }
        for (; i < end; ++i) {
            const float x = v[i];
            lo[0] = x < lo[0] ? x : lo[0];
            hi[0] = x > hi[0] ? x : hi[0];
            tail_zeros += x == 0.0f;
            const double d = static_cast<double>(x) - k;
            t1 += d;
            t2 += d * d;
        }
    }
    TensorStats s;
    s.numel = s.finite = n;
    s.zeros = tail_zeros;
    float min = lo[0], max = hi[0];
    for (int j = 0; j < lanes; ++j) {
        min = std::min(min, lo[j]);
        max = std::max(max, hi[j]);
        s.zeros += zeros[j];
        t1 += s1[j];
        t2 += s2[j];
    }
    // A NaN or an infinity anywhere makes the sums non-finite (floats cannot overflow them).
    if (!std::isfinite(t1) || !std::isfinite(t2)) return std::nullopt;
    const auto count = static_cast<double>(n);
    s.min = min;
    s.max = max;
    s.mean = k + t1 / count;
    s.std = n > 1 ? std::sqrt(std::max(0.0, (t2 - t1 * t1 / count) / (count - 1))) : nan;
    return s;
}

// histc over all-finite floats within [lo, hi]: the bin as histc_bin<float> computes it, counted
// in four interleaved histograms so that runs of one bin do not wait on each other's stores.
void fused_histc(const float* v, std::int64_t n, const StopRequested& stop, Histogram& h) {
    const auto bins = static_cast<std::int64_t>(h.counts.size());
    const auto lo = static_cast<float>(h.lo);
    const auto hi = static_cast<float>(h.hi);
    const auto width = hi - lo;
    const auto scale = static_cast<float>(bins);
    std::vector<std::int64_t> counts(static_cast<std::size_t>(4 * bins), 0);
    std::int64_t* c[4] = {counts.data(), counts.data() + bins, counts.data() + 2 * bins,
                          counts.data() + 3 * bins};
    std::int32_t index[lanes];
    for (std::int64_t start = 0; start < n; start += chunk_elements) {
        detail::check_stop(stop);
        const std::int64_t end = std::min(n, start + chunk_elements);
        std::int64_t i = start;
        for (; i + lanes <= end; i += lanes) {
            for (int j = 0; j < lanes; ++j)
                index[j] = static_cast<std::int32_t>((v[i + j] - lo) * scale / width);
            for (int j = 0; j < lanes; ++j) {
                const std::int64_t b = index[j];
                if (b >= 0 && b <= bins) ++c[j & 3][b == bins ? bins - 1 : b];
            }
        }
        for (; i < end; ++i) {
            const std::int64_t b = histc_bin<float>(v[i], lo, hi, bins);
            if (b >= 0) ++c[0][b];
        }
    }
    for (std::int64_t b = 0; b < bins; ++b)
        h.counts[static_cast<std::size_t>(b)] += c[0][b] + c[1][b] + c[2][b] + c[3][b];
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
    if (const float* v = contiguous_floats(tensor))
        if (auto fast = fused_stats(v, tensor.numel(), stop)) return *fast;
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
    if (const float* v = contiguous_floats(tensor))
        if (auto fast = fused_stats(v, tensor.numel(), stop)) {
            out.stats = *fast;
            out.histogram = empty_histogram(bins, fast->min, fast->max);
            fused_histc(v, tensor.numel(), stop, out.histogram);
            return out;
        }
    out.stats = first_pass(tensor, stop);
    const bool any = out.stats.finite > 0;
    out.histogram = empty_histogram(bins, any ? out.stats.min : 0, any ? out.stats.max : 0);
    second_pass(tensor, stop, &out.stats, &out.histogram);
    return out;
}

} // namespace nnscope::stats
