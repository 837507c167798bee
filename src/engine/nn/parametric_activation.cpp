#include "engine/nn/parametric_activation.h"

#include "engine/ops/parametric_activation.h"

#include <stdexcept>

namespace nnscope::nn {

namespace {

std::string inplace_suffix(bool inplace) {
    return inplace ? ", inplace=True" : "";
}

} // namespace

LeakyReLU::LeakyReLU(double negative_slope, bool inplace)
    : Module("LeakyReLU")
    , negative_slope_(negative_slope)
    , inplace_(inplace) {}

Tensor LeakyReLU::forward(const Tensor& input) {
    return leaky_relu(input, negative_slope_);
}

Arguments LeakyReLU::arguments() const {
    return {{"negative_slope", negative_slope_}, {"inplace", inplace_}};
}

std::string LeakyReLU::extra_repr() const {
    return "negative_slope=" + python_float_repr(negative_slope_) + inplace_suffix(inplace_);
}

ELU::ELU(double alpha, bool inplace)
    : Module("ELU")
    , alpha_(alpha)
    , inplace_(inplace) {}

Tensor ELU::forward(const Tensor& input) {
    return elu(input, alpha_);
}

Arguments ELU::arguments() const {
    return {{"alpha", alpha_}, {"inplace", inplace_}};
}

std::string ELU::extra_repr() const {
    return "alpha=" + python_float_repr(alpha_) + inplace_suffix(inplace_);
}

Softplus::Softplus(Value beta, Value threshold)
    : Module("Softplus")
    , beta_(std::move(beta))
    , threshold_(std::move(threshold)) {
    if (!beta_.is_number() || !threshold_.is_number())
        throw std::invalid_argument("Softplus: beta and threshold must be numbers");
}

Tensor Softplus::forward(const Tensor& input) {
    return softplus(input, beta_.as_double(), threshold_.as_double());
}

Arguments Softplus::arguments() const {
    return {{"beta", beta_}, {"threshold", threshold_}};
}

std::string Softplus::extra_repr() const {
    return "beta=" + beta_.repr() + ", threshold=" + threshold_.repr();
}

} // namespace nnscope::nn
