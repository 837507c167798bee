#include "workflows/tensor_diff.h"

#include "engine/half.h"
#include "engine/stats/chunks.h"
#include "engine/tensor.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

namespace nnscope::workflows {

namespace {

// Pulls a tensor's next `count` elements in row-major order, as float64. chunks.h reads one
// tensor by pushing chunks to a callback; two tensors read in step need a pull of each.
using DoubleSource = std::function<void(double* out, std::int64_t count)>;

template <class Src> DoubleSource reader(const Tensor& t, float (*widen)(std::uint16_t) = nullptr) {
    auto r = std::make_shared<stats::detail::StridedReader<Src, double>>(t, widen);
    return [r](double* out, std::int64_t count) { r->next(out, count); };
}

DoubleSource double_source(const Tensor& t) {
    switch (t.dtype()) {
    case DType::Float32:
        return reader<float>(t);
    case DType::Float64:
        return reader<double>(t);
    case DType::Float16:
        return reader<std::uint16_t>(t, half_to_float);
    case DType::BFloat16:
        return reader<std::uint16_t>(t, bfloat16_to_float);
    case DType::Int64:
        return reader<std::int64_t>(t);
    case DType::Int32:
        return reader<std::int32_t>(t);
    case DType::Int16:
        return reader<std::int16_t>(t);
    case DType::Int8:
        return reader<std::int8_t>(t);
    case DType::UInt8:
        return reader<std::uint8_t>(t);
    case DType::Bool:
        return reader<bool>(t);
    }
    throw std::invalid_argument("diff_tensors: unknown dtype");
}

// Walks a and b together chunk by chunk: fn(const double* a, const double* b, n).
template <class Fn>
void for_each_pair_chunk(const Tensor& a, const Tensor& b, const stats::StopRequested& stop,
                         Fn&& fn) {
    const std::int64_t n = a.numel();
    const DoubleSource next_a = double_source(a);
    const DoubleSource next_b = double_source(b);
    const auto size = static_cast<std::size_t>(std::min(stats::chunk_elements, n));
    std::vector<double> xa(size), xb(size);
    for (std::int64_t start = 0; start < n; start += stats::chunk_elements) {
        stats::detail::check_stop(stop);
        const std::int64_t length = std::min(stats::chunk_elements, n - start);
        next_a(xa.data(), length);
        next_b(xb.data(), length);
        fn(xa.data(), xb.data(), length);
    }
}

// First pass: everything but the spread and the histogram.
void first_pass(const Tensor& a, const Tensor& b, TensorDiff& out, const stats::StopRequested& stop,
                const DiffProgress& progress) {
    stats::TensorStats& d = out.difference;
    d.min = std::numeric_limits<double>::infinity();
    d.max = -std::numeric_limits<double>::infinity();
    double sum = 0, aa = 0, bb = 0, ab = 0, dd = 0;
    std::int64_t done = 0;
    for_each_pair_chunk(a, b, stop, [&](const double* xa, const double* xb, std::int64_t n) {
        for (std::int64_t i = 0; i < n; ++i) {
            const double va = xa[i], vb = xb[i], diff = vb - va;
            out.nonfinite_a += !std::isfinite(va);
            out.nonfinite_b += !std::isfinite(vb);
            if (!std::isfinite(diff)) {
                if (std::isnan(diff))
                    ++d.nan;
                else if (diff > 0)
                    ++d.pos_inf;
                else
                    ++d.neg_inf;
                continue;
            }
            ++out.compared;
            out.differing += va != vb;
            d.zeros += diff == 0;
            d.min = std::min(d.min, diff);
            d.max = std::max(d.max, diff);
            sum += diff;
            aa += va * va;
            bb += vb * vb;
            ab += va * vb;
            dd += diff * diff;
        }
        done += n;
        if (progress) progress(done);
    });
    d.numel = out.numel;
    d.finite = out.compared;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    d.mean = out.compared > 0 ? sum / static_cast<double>(out.compared) : nan;
    d.std = nan;
    if (out.compared == 0) d.min = d.max = nan;
    out.max_abs = out.compared > 0 ? std::max(std::abs(d.min), std::abs(d.max)) : 0.0;
    out.norm_a = std::sqrt(aa);
    out.norm_b = std::sqrt(bb);
    out.norm_diff = std::sqrt(dd);
    if (out.norm_a > 0)
        out.relative_change = out.norm_diff / out.norm_a;
    else
        out.relative_change = out.norm_diff > 0 ? std::numeric_limits<double>::infinity() : 0.0;
    if (out.norm_a > 0 && out.norm_b > 0)
        out.cosine = ab / (out.norm_a * out.norm_b);
    else
        out.cosine = out.norm_a == out.norm_b ? 1.0 : 0.0;
}

// Second pass: the spread around the mean and torch.histc over [min, max], chunk by chunk (the
// engine's histc on each chunk's differences; fixed edges make the chunks' counts add up).
void second_pass(const Tensor& a, const Tensor& b, int bins, TensorDiff& out,
                 const stats::StopRequested& stop, const DiffProgress& progress) {
    stats::TensorStats& d = out.difference;
    out.histogram.counts.assign(static_cast<std::size_t>(bins), 0);
    if (out.compared == 0) return;
    out.histogram.lo = d.min;
    out.histogram.hi = d.max;
    double squares = 0;
    std::int64_t done = out.numel;
    for_each_pair_chunk(a, b, stop, [&](const double* xa, const double* xb, std::int64_t n) {
        Tensor diffs = Tensor::empty({n}, DType::Float64);
        auto* out_values = reinterpret_cast<double*>(diffs.storage()->data());
        std::int64_t kept = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            const double diff = xb[i] - xa[i];
            if (!std::isfinite(diff)) continue;
            squares += (diff - d.mean) * (diff - d.mean);
            out_values[kept++] = diff;
        }
        if (kept > 0) {
            const stats::Histogram h = stats::histc(diffs.narrow(0, 0, kept), bins, d.min, d.max);
            for (std::size_t k = 0; k < h.counts.size(); ++k)
                out.histogram.counts[k] += h.counts[k];
            out.histogram.lo = h.lo; // histc widens an empty range
            out.histogram.hi = h.hi;
        }
        done += n;
        if (progress) progress(done);
    });
    if (out.compared > 1) d.std = std::sqrt(squares / static_cast<double>(out.compared - 1));
}

} // namespace

TensorDiff diff_tensors(const Tensor& a, const Tensor& b, int bins,
                        const stats::StopRequested& stop, const DiffProgress& progress) {
    if (a.shape() != b.shape())
        throw std::invalid_argument("diff_tensors: shapes " + shape_to_string(a.shape()) + " and " +
                                    shape_to_string(b.shape()) + " differ");
    if (bins < 0) throw std::invalid_argument("diff_tensors: bins must be >= 0");
    TensorDiff out;
    out.numel = a.numel();
    first_pass(a, b, out, stop, progress);
    if (bins > 0) second_pass(a, b, bins, out, stop, progress);
    return out;
}

} // namespace nnscope::workflows
