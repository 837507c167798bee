#include "engine/nn/activation.h"

#include "engine/ops/activation.h"

#include <stdexcept>

namespace nnscope::nn {

Tensor ReLU::forward(const Tensor& input) {
    return relu(input);
}
Tensor Sigmoid::forward(const Tensor& input) {
    return sigmoid(input);
}
Tensor Tanh::forward(const Tensor& input) {
    return tanh(input);
}

GELU::GELU(std::string approximate)
    : Module("GELU")
    , approximate_(std::move(approximate)) {
    if (approximate_ != "none" && approximate_ != "tanh")
        throw std::invalid_argument("approximate argument must be either none or tanh.");
}

Tensor GELU::forward(const Tensor& input) {
    return gelu(input, approximate_);
}

std::string GELU::extra_repr() const {
    return "approximate=" + Value(approximate_).repr();
}

std::int64_t Softmax::resolved_dim(const Tensor& input) const {
    if (dim_) return *dim_;
    const auto nd = input.dim();
    return (nd == 0 || nd == 1 || nd == 3) ? 0 : 1;
}

Tensor Softmax::forward(const Tensor& input) {
    return softmax(input, resolved_dim(input));
}

Tensor LogSoftmax::forward(const Tensor& input) {
    return log_softmax(input, resolved_dim(input));
}

Arguments Softmax::arguments() const {
    return {{"dim", dim_ ? Value(*dim_) : Value()}};
}

std::string Softmax::extra_repr() const {
    return "dim=" + (dim_ ? std::to_string(*dim_) : std::string("None"));
}

} // namespace nnscope::nn
