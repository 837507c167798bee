#include "workflows/train_probe_norms.h"

#include "engine/autograd/grad_mode.h"

#include <cmath>
#include <limits>

namespace nnscope::workflows {

namespace {

bool fast(const Tensor& t) {
    return t.dtype() == DType::Float32 && t.is_contiguous();
}

// Sums f(i) over [0, n) in double, in 16 independent lanes the compiler keeps in vector
// registers (a single running sum would wait on each addition), then the tail.
template <class F> double lane_sum(std::int64_t n, F f) {
    constexpr int lanes = 16;
    double acc[lanes] = {};
    std::int64_t i = 0;
    for (; i + lanes <= n; i += lanes)
        for (int j = 0; j < lanes; ++j)
            acc[j] += f(i + j);
    double sum = 0;
    for (; i < n; ++i)
        sum += f(i);
    for (double a : acc)
        sum += a;
    return sum;
}

} // namespace

double l2_norm(const Tensor& t) {
    double sum = 0;
    if (fast(t)) {
        const float* v = t.data_ptr<float>();
        sum = lane_sum(t.numel(), [v](std::int64_t i) {
            const auto x = static_cast<double>(v[i]);
            return x * x;
        });
    } else {
        for (double x : t.to_vector())
            sum += x * x;
    }
    return std::sqrt(sum);
}

void save_values(const Tensor& t, SavedValues& out) {
    if (fast(t)) {
        const float* v = t.data_ptr<float>();
        out.f32.assign(v, v + t.numel());
        out.other = Tensor();
        return;
    }
    autograd::NoGradGuard no_grad;
    out.f32.clear();
    out.other = t.detach().clone();
}

double l2_distance(const Tensor& t, const SavedValues& saved) {
    double sum = 0;
    if (fast(t) && saved.f32.size() == static_cast<std::size_t>(t.numel())) {
        const float* v = t.data_ptr<float>();
        const float* w = saved.f32.data();
        return std::sqrt(lane_sum(t.numel(), [v, w](std::int64_t i) {
            const double d = static_cast<double>(v[i]) - static_cast<double>(w[i]);
            return d * d;
        }));
    }
    if (!saved.other.defined() || saved.other.numel() != t.numel())
        return std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> now = t.to_vector();
    const std::vector<double> before = saved.other.to_vector();
    for (std::size_t i = 0; i < now.size(); ++i)
        sum += (now[i] - before[i]) * (now[i] - before[i]);
    return std::sqrt(sum);
}

} // namespace nnscope::workflows
