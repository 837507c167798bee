#include "engine/nn/init.h"

#include "engine/autograd/grad_mode.h"
#include "engine/generator.h"
#include "engine/random.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace nnscope::nn::init {

namespace {

Generator& pick(Generator* gen) {
    return gen ? *gen : default_generator();
}

std::int64_t correct_fan(const Tensor& tensor, std::string_view mode) {
    const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
    if (mode == "fan_in") return fan_in;
    if (mode == "fan_out") return fan_out;
    throw std::invalid_argument("Mode " + std::string(mode) +
                                " not supported, please use one of ['fan_in', 'fan_out']");
}

} // namespace

double calculate_gain(std::string_view nonlinearity, std::optional<double> param) {
    for (const char* linear : {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                               "conv_transpose2d", "conv_transpose3d", "sigmoid"})
        if (nonlinearity == linear) return 1.0;
    if (nonlinearity == "tanh") return 5.0 / 3;
    if (nonlinearity == "relu") return std::sqrt(2.0);
    if (nonlinearity == "leaky_relu") {
        const double negative_slope = param.value_or(0.01);
        return std::sqrt(2.0 / (1 + std::pow(negative_slope, 2)));
    }
    if (nonlinearity == "selu") return 3.0 / 4;
    throw std::invalid_argument("Unsupported nonlinearity " + std::string(nonlinearity));
}

std::pair<std::int64_t, std::int64_t> calculate_fan_in_and_fan_out(const Tensor& tensor) {
    if (tensor.dim() < 2)
        throw std::invalid_argument("Fan in and fan out can not be computed for tensor with "
                                    "fewer than 2 dimensions");
    std::int64_t receptive_field_size = 1;
    for (std::int64_t d = 2; d < tensor.dim(); ++d)
        receptive_field_size *= tensor.size(d);
    return {tensor.size(1) * receptive_field_size, tensor.size(0) * receptive_field_size};
}

namespace {
thread_local int skip_depth = 0;
}

SkipInitGuard::SkipInitGuard() {
    ++skip_depth;
}
SkipInitGuard::~SkipInitGuard() {
    --skip_depth;
}
bool init_skipped() {
    return skip_depth > 0;
}

Tensor uniform_(const Tensor& tensor, double a, double b, Generator* gen) {
    if (init_skipped()) return tensor;
    autograd::NoGradGuard no_grad;
    Tensor t = tensor;
    nnscope::uniform_(t, a, b, pick(gen));
    return t;
}

Tensor normal_(const Tensor& tensor, double mean, double std, Generator* gen) {
    if (init_skipped()) return tensor;
    autograd::NoGradGuard no_grad;
    Tensor t = tensor;
    nnscope::normal_(t, mean, std, pick(gen));
    return t;
}

Tensor constant_(const Tensor& tensor, double value) {
    if (init_skipped()) return tensor;
    autograd::NoGradGuard no_grad;
    Tensor t = tensor;
    t.fill_(value);
    return t;
}

Tensor zeros_(const Tensor& tensor) {
    return constant_(tensor, 0.0);
}
Tensor ones_(const Tensor& tensor) {
    return constant_(tensor, 1.0);
}

Tensor xavier_uniform_(const Tensor& tensor, double gain, Generator* gen) {
    const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
    const double std = gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
    const double a = std::sqrt(3.0) * std;
    return uniform_(tensor, -a, a, gen);
}

Tensor xavier_normal_(const Tensor& tensor, double gain, Generator* gen) {
    const auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(tensor);
    const double std = gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
    return normal_(tensor, 0.0, std, gen);
}

Tensor kaiming_uniform_(const Tensor& tensor, double a, std::string_view mode,
                        std::string_view nonlinearity, Generator* gen) {
    if (tensor.numel() == 0) return tensor; // PyTorch warns and leaves it
    const auto fan = static_cast<double>(correct_fan(tensor, mode));
    const double gain = calculate_gain(nonlinearity, a);
    const double std = gain / std::sqrt(fan);
    const double bound = std::sqrt(3.0) * std;
    return uniform_(tensor, -bound, bound, gen);
}

Tensor kaiming_normal_(const Tensor& tensor, double a, std::string_view mode,
                       std::string_view nonlinearity, Generator* gen) {
    if (tensor.numel() == 0) return tensor;
    const auto fan = static_cast<double>(correct_fan(tensor, mode));
    const double gain = calculate_gain(nonlinearity, a);
    const double std = gain / std::sqrt(fan);
    return normal_(tensor, 0.0, std, gen);
}

} // namespace nnscope::nn::init
