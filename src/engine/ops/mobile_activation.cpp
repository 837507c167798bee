// ReLU6, Hardsigmoid, Hardswish and SiLU on the pointwise helpers every activation shares.
// Each is floating only (PyTorch's kernels are defined for floating types alone).

#include "engine/ops/mobile_activation.h"

#include "engine/ops/pointwise_map.h"

#include <algorithm>
#include <cmath>

namespace nnscope {

namespace {

using detail::map_floating;
using detail::record_pointwise;

// PyTorch's hardsigmoid backward multiplies by 1/6 rounded to float, in float64 too.
constexpr float kOneSixth = 1.0f / 6.0f;

template <class T> T clamp06(T v) {
    // NaN passes through, as PyTorch's clamp keeps NaN.
    if (v != v) return v;
    return std::min(std::max(v, T(0)), T(6));
}

} // namespace

Tensor relu6(const Tensor& x) {
    Tensor out = map_floating(x, "relu6", false, [](auto v) { return clamp06(v); });
    // hardtanh_backward: the gradient passes only strictly between the bounds.
    record_pointwise(x, out, "HardtanhBackward0", x, [](auto g, auto v) {
        using T = decltype(v);
        return (v > T(0) && v < T(6)) ? g : T(0);
    });
    return out;
}

Tensor hardsigmoid(const Tensor& x) {
    Tensor out = map_floating(x, "hardsigmoid", false, [](auto v) {
        using T = decltype(v);
        return clamp06(v + T(3)) / T(6);
    });
    record_pointwise(x, out, "HardsigmoidBackward0", x, [](auto g, auto v) {
        using T = decltype(v);
        return (v > T(-3) && v < T(3)) ? g * T(kOneSixth) : T(0);
    });
    return out;
}

Tensor hardswish(const Tensor& x) {
    Tensor out = map_floating(x, "hardswish", false, [](auto v) {
        using T = decltype(v);
        return v * clamp06(v + T(3)) / T(6);
    });
    record_pointwise(x, out, "HardswishBackward0", x, [](auto g, auto v) {
        using T = decltype(v);
        if (v < T(-3)) return T(0);
        if (v < T(3)) return g * (v / T(3) + T(0.5));
        return g;
    });
    return out;
}

Tensor silu(const Tensor& x) {
    Tensor out =
        map_floating(x, "silu", false, [](auto v) { return v / (decltype(v)(1) + std::exp(-v)); });
    record_pointwise(
        x, out, "SiluBackward0", x,
        [](auto g, auto v) {
            using T = decltype(v);
            const T s = T(1) / (T(1) + std::exp(-v));
            return g * s * (T(1) + v * (T(1) - s));
        },
        detail::kHeavyGrain);
    return out;
}

} // namespace nnscope
