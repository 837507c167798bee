#pragma once
// torch.nn.init: in-place initialisers that compute their bounds exactly as PyTorch 1.13 does
// (same double arithmetic), so that with the same generator state they give PyTorch's values.
// They run without autograd. gen = nullptr draws from default_generator() of the calling thread
// (a DefaultGeneratorScope's generator if one is active). Each returns the tensor handle it
// filled.

#include "engine/tensor.h"

#include <optional>
#include <string_view>
#include <utility>

namespace nnscope {
class Generator;
}

namespace nnscope::nn::init {

// nonlinearity: linear, conv1d, conv2d, conv3d, conv_transpose{1,2,3}d, sigmoid, tanh, relu,
// leaky_relu (param = negative slope, default 0.01), selu.
double calculate_gain(std::string_view nonlinearity, std::optional<double> param = std::nullopt);
// (fan_in, fan_out) of a weight of at least 2 dims: size(1)·receptive field, size(0)·receptive.
std::pair<std::int64_t, std::int64_t> calculate_fan_in_and_fan_out(const Tensor& tensor);

Tensor uniform_(const Tensor& tensor, double a = 0.0, double b = 1.0, Generator* gen = nullptr);
Tensor normal_(const Tensor& tensor, double mean = 0.0, double std = 1.0, Generator* gen = nullptr);
Tensor constant_(const Tensor& tensor, double value);
Tensor zeros_(const Tensor& tensor);
Tensor ones_(const Tensor& tensor);
Tensor xavier_uniform_(const Tensor& tensor, double gain = 1.0, Generator* gen = nullptr);
Tensor xavier_normal_(const Tensor& tensor, double gain = 1.0, Generator* gen = nullptr);
// mode: "fan_in" or "fan_out"; a is the negative slope for leaky_relu.
Tensor kaiming_uniform_(const Tensor& tensor, double a = 0.0, std::string_view mode = "fan_in",
                        std::string_view nonlinearity = "leaky_relu", Generator* gen = nullptr);
Tensor kaiming_normal_(const Tensor& tensor, double a = 0.0, std::string_view mode = "fan_in",
                       std::string_view nonlinearity = "leaky_relu", Generator* gen = nullptr);

// While one is alive on this thread, every function above leaves its tensor as allocated (no
// values drawn or written), as torch.nn.utils.skip_init builds a module without initialising
// it: for a structure-only build (an architecture's keys and shapes), or a model whose every
// tensor a file overwrites next. Guards nest.
class SkipInitGuard {
public:
    SkipInitGuard();
    ~SkipInitGuard();
    SkipInitGuard(const SkipInitGuard&) = delete;
    SkipInitGuard& operator=(const SkipInitGuard&) = delete;
};
bool init_skipped();

} // namespace nnscope::nn::init
