#include "workflows/train_probe_norms.h"

#include "engine/autograd/grad_mode.h"

#include <cmath>
#include <limits>

namespace nnscope::workflows {

namespace {

bool fast(const Tensor& t) {
    return t.dtype() == DType::Float32 && t.is_contiguous();
}

} // namespace

double l2_norm(const Tensor& t) {
    double sum = 0;
    if (fast(t)) {
        const float* v = t.data_ptr<float>();
        const std::int64_t n = t.numel();
        for (std::int64_t i = 0; i < n; ++i)
            sum += static_cast<double>(v[i]) * static_cast<double>(v[i]);
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
        for (std::size_t i = 0; i < saved.f32.size(); ++i) {
            const double d = static_cast<double>(v[i]) - static_cast<double>(saved.f32[i]);
            sum += d * d;
        }
        return std::sqrt(sum);
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
