// LeakyReLU, ELU and Softplus on the pointwise helpers every activation shares.

#include "engine/ops/parametric_activation.h"

#include "engine/ops/pointwise_map.h"

#include <cmath>

namespace nnscope {

using detail::map_floating;
using detail::record_pointwise;

Tensor leaky_relu(const Tensor& x, double negative_slope) {
    Tensor out = map_floating(x, "leaky_relu", false, [negative_slope](auto v) {
        using T = decltype(v);
        return v > T(0) ? v : v * T(negative_slope);
    });
    record_pointwise(x, out, "LeakyReluBackward0", x, [negative_slope](auto g, auto v) {
        using T = decltype(v);
        return v > T(0) ? g : g * T(negative_slope);
    });
    return out;
}

Tensor elu(const Tensor& x, double alpha) {
    Tensor out = map_floating(x, "elu", false, [alpha](auto v) {
        using T = decltype(v);
        return v <= T(0) ? (std::exp(v) - T(1)) * T(alpha) : v;
    });
    record_pointwise(
        x, out, "EluBackward0", x,
        [alpha](auto g, auto v) {
            using T = decltype(v);
            return v <= T(0) ? g * T(alpha) * std::exp(v) : g;
        },
        detail::kHeavyGrain);
    return out;
}

Tensor softplus(const Tensor& x, double beta, double threshold) {
    Tensor out = map_floating(x, "softplus", false, [beta, threshold](auto v) {
        using T = decltype(v);
        return v * T(beta) > T(threshold)
                   ? v
                   : static_cast<T>(std::log1p(std::exp(v * T(beta)))) / T(beta);
    });
    record_pointwise(
        x, out, "SoftplusBackward0", x,
        [beta, threshold](auto g, auto v) {
            using T = decltype(v);
            const T z = std::exp(v * T(beta));
            return v * T(beta) > T(threshold) ? g : g * z / (z + T(1));
        },
        detail::kHeavyGrain);
    return out;
}

} // namespace nnscope
