#pragma once
// Internal: the max-subtracted softmax of one strided line, shared by softmax, log_softmax and
// the fused cross_entropy kernel. Contiguous lines (softmax over the last dim, cross_entropy on
// [N, C]) use Eigen's vectorised max and exp, several times faster than one std::exp at a time.

#include <Eigen/Core>
#include <cmath>
#include <cstdint>
#include <limits>

namespace nnscope::detail {

template <class T> using LineArray = Eigen::Array<T, Eigen::Dynamic, 1>;

// Maximum of n elements `step` apart; NaN when any is NaN, so that NaN reaches the result.
template <class T> T line_max(const T* in, std::int64_t n, std::int64_t step) {
    if (n > 0 && step == 1)
        return Eigen::Map<const LineArray<T>>(in, n).template maxCoeff<Eigen::PropagateNaN>();
    T m = -std::numeric_limits<T>::infinity();
    for (std::int64_t k = 0; k < n; ++k) {
        const T v = in[k * step];
        if (v > m || std::isnan(v)) m = v;
        if (std::isnan(m)) break;
    }
    return m;
}

// Sum of exp(x - m) over the line.
template <class T> double line_sum_exp(const T* in, std::int64_t n, std::int64_t step, T m) {
    if (step == 1)
        return static_cast<double>((Eigen::Map<const LineArray<T>>(in, n) - m).exp().sum());
    double total = 0.0;
    for (std::int64_t k = 0; k < n; ++k)
        total += static_cast<double>(std::exp(in[k * step] - m));
    return total;
}

template <class T> struct LineSoftmax {
    T max;
    double sum_exp; // sum of exp(x - max)
};

// Writes softmax(in) to out and returns the max and the sum of exponentials it used.
template <class T>
LineSoftmax<T> softmax_line(const T* in, std::int64_t in_step, T* out, std::int64_t out_step,
                            std::int64_t n) {
    const T m = line_max(in, n, in_step);
    double total = 0.0;
    if (in_step == 1 && out_step == 1) {
        Eigen::Map<LineArray<T>> e(out, n);
        e = (Eigen::Map<const LineArray<T>>(in, n) - m).exp();
        total = static_cast<double>(e.sum());
    } else {
        for (std::int64_t k = 0; k < n; ++k) {
            const T e = std::exp(in[k * in_step] - m);
            out[k * out_step] = e;
            total += static_cast<double>(e);
        }
    }
    const T scale = static_cast<T>(1.0 / total);
    for (std::int64_t k = 0; k < n; ++k)
        out[k * out_step] *= scale;
    return {m, total};
}

} // namespace nnscope::detail
