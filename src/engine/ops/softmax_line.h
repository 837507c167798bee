#pragma once
// Internal: the max-subtracted softmax of one strided line, shared by softmax and the fused
// cross_entropy kernel.

#include <cmath>
#include <cstdint>
#include <limits>

namespace nnscope::detail {

// Maximum of n elements `step` apart; NaN when any is NaN, so that NaN reaches the result.
template <class T> T line_max(const T* in, std::int64_t n, std::int64_t step) {
    T m = -std::numeric_limits<T>::infinity();
    for (std::int64_t k = 0; k < n; ++k) {
        const T v = in[k * step];
        if (v > m || std::isnan(v)) m = v;
        if (std::isnan(m)) break;
    }
    return m;
}

template <class T> struct LineSoftmax {
    T max;
    double sum_exp; // sum of exp(x - max), accumulated in double
};

// Writes softmax(in) to out and returns the max and the sum of exponentials it used.
template <class T>
LineSoftmax<T> softmax_line(const T* in, std::int64_t in_step, T* out, std::int64_t out_step,
                            std::int64_t n) {
    const T m = line_max(in, n, in_step);
    double total = 0.0;
    for (std::int64_t k = 0; k < n; ++k) {
        const T e = std::exp(in[k * in_step] - m);
        out[k * out_step] = e;
        total += static_cast<double>(e);
    }
    const T scale = static_cast<T>(1.0 / total);
    for (std::int64_t k = 0; k < n; ++k)
        out[k * out_step] *= scale;
    return {m, total};
}

} // namespace nnscope::detail
