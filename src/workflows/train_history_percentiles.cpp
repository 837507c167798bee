// Percentiles read from a stream's histogram (the distribution bands) and the points' helpers.

#include "workflows/train_history.h"
#include "workflows/train_history_series.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace nnscope::workflows {

std::vector<double> histogram_percentiles(const StreamStats& stats, const std::vector<double>& qs) {
    for (const double q : qs)
        if (!(q >= 0 && q <= 100))
            throw std::invalid_argument("histogram_percentiles: the percentile " +
                                        std::to_string(q) + " is outside [0, 100]");
    const auto& s = stats.stats;
    const auto& h = stats.histogram;
    std::int64_t total = 0;
    for (const auto count : h.counts)
        total += count;
    std::vector<double> out(qs.size(), std::numeric_limits<double>::quiet_NaN());
    if (s.finite == 0) return out;
    const double width = h.counts.empty() ? 0 : (h.hi - h.lo) / double(h.counts.size());
    for (std::size_t i = 0; i < qs.size(); ++i) {
        const double q = qs[i];
        if (q == 0 || s.min == s.max) {
            out[i] = s.min;
            continue;
        }
        if (q == 100) {
            out[i] = s.max;
            continue;
        }
        if (total == 0) continue; // no histogram to read between the ends
        // The bin where the cumulative count reaches q% of the total, and how far into it.
        const double target = q / 100 * double(total);
        double before = 0;
        std::size_t bin = 0;
        for (; bin + 1 < h.counts.size(); ++bin) {
            const auto count = double(h.counts[bin]);
            if (count > 0 && before + count >= target) break;
            before += count;
        }
        const auto count = double(h.counts[bin]);
        const double fraction = count > 0 ? std::clamp((target - before) / count, 0.0, 1.0) : 1.0;
        out[i] = std::clamp(h.lo + width * (double(bin) + fraction), s.min, s.max);
    }
    return out;
}

double ParamPoint::update_ratio() const {
    if (weight_norm == 0) return std::numeric_limits<double>::quiet_NaN();
    return update_norm / weight_norm;
}

namespace history_detail {

std::size_t heap_bytes(const StreamPoint& point) {
    std::size_t bytes = 0;
    if (point.stats.histogram.counts.capacity() > 0)
        bytes +=
            point.stats.histogram.counts.capacity() * sizeof(std::int64_t) + heap_block_overhead;
    if (point.bands.capacity() > 0)
        bytes += point.bands.capacity() * sizeof(double) + heap_block_overhead;
    return bytes;
}

} // namespace history_detail

} // namespace nnscope::workflows
