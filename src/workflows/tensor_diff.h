#pragma once
// How one tensor differs from another of the same shape, whatever their dtypes: every value is
// read in float64, chunk by chunk in row-major order (a strided view or a memory-mapped file is
// never copied whole, a stop predicate is asked before every chunk), and the figures are those a
// person checks after a training step or a conversion. No Qt.
//
// The difference is d = b - a. A pair of elements enters the figures only when d is finite (both
// values finite); the others are counted (`difference.nan`, `.pos_inf`, `.neg_inf`) and left out,
// so one NaN never turns every figure into NaN and is never silently dropped either.

#include "engine/stats/tensor_stats.h"

#include <cstdint>
#include <functional>

namespace nnscope {
class Tensor;
}

namespace nnscope::workflows {

struct TensorDiff {
    std::int64_t numel = 0;
    std::int64_t compared = 0;    // pairs with a finite difference
    std::int64_t differing = 0;   // compared pairs with a != b
    std::int64_t nonfinite_a = 0; // NaN or infinite values in a (b likewise)
    std::int64_t nonfinite_b = 0;
    double max_abs = 0; // max |b - a| over the compared pairs; 0 when none
    // Euclidean norms over the compared pairs.
    double norm_a = 0, norm_b = 0, norm_diff = 0;
    // ||b - a|| / ||a||: 0 when both norms are 0 (nothing changed), +infinity when only ||a|| is
    // 0 (something grew from nothing).
    double relative_change = 0;
    // a.b / (||a|| ||b||): 1 when both are zero vectors (equal), 0 when exactly one is (torch's
    // cosine_similarity gives 0 for both cases; two equal zero tensors did not move apart).
    double cosine = 1;
    // Statistics of d over the compared pairs (min, max, mean, unbiased std) with the pairs left
    // out as NaN (either value NaN, or inf - inf) and +-Inf: what the histogram shows.
    stats::TensorStats difference;
    // torch.histc(d, bins, d.min, d.max) over the compared pairs; no counts when bins was 0.
    stats::Histogram histogram;
};

// Called after each chunk with the elements read so far (both passes counted: 2 x numel in all
// with a histogram, numel without).
using DiffProgress = std::function<void(std::int64_t done)>;

// Compares a and b (equal shapes, any dtypes). bins = 0 skips the second pass: no histogram and
// no std. Throws std::invalid_argument for different shapes or bins < 0, stats::StatsCancelled
// when `stop` says so between chunks.
TensorDiff diff_tensors(const Tensor& a, const Tensor& b, int bins,
                        const stats::StopRequested& stop = {}, const DiffProgress& progress = {});

} // namespace nnscope::workflows
