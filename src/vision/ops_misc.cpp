#include "vision/ops_misc.h"

#include "engine/generator.h"
#include "engine/nn/activation.h"
#include "engine/nn/adaptive_pool.h"
#include "engine/nn/batchnorm.h"
#include "engine/nn/conv.h"
#include "engine/nn/mobile_activation.h"
#include "engine/ops/elementwise.h"
#include "engine/random.h"
#include "vision/vision_module.h"

#include <stdexcept>

namespace nnscope::vision {

NormFactory batch_norm(double eps, double momentum) {
    return [eps, momentum](std::int64_t channels) {
        return std::make_shared<nn::BatchNorm2d>(channels, eps, momentum);
    };
}

nn::ModulePtr relu_inplace() {
    return std::make_shared<nn::ReLU>(true);
}
nn::ModulePtr relu6_inplace() {
    return std::make_shared<nn::ReLU6>(true);
}
nn::ModulePtr silu_inplace() {
    return std::make_shared<nn::SiLU>(true);
}
nn::ModulePtr hardswish_inplace() {
    return std::make_shared<nn::Hardswish>(true);
}

std::shared_ptr<Conv2dNormActivation>
conv_norm_activation(std::int64_t in_channels, std::int64_t out_channels,
                     const ConvNormActivationOptions& options) {
    auto block = std::make_shared<Conv2dNormActivation>(out_channels);
    block->append(std::make_shared<nn::Conv2d>(in_channels, out_channels, options.kernel_size,
                                               options.stride, (options.kernel_size - 1) / 2, 1,
                                               options.groups, !options.norm));
    if (options.norm) block->append(options.norm(out_channels));
    if (options.activation) block->append(options.activation());
    return block;
}

Tensor SqueezeExcitation::forward(const Tensor& input) {
    Tensor scale = run_child(*this, "avgpool", input);
    scale = run_child(*this, "fc1", scale);
    scale = run_child(*this, "activation", scale);
    scale = run_child(*this, "fc2", scale);
    scale = run_child(*this, "scale_activation", scale);
    return mul(scale, input);
}

std::shared_ptr<SqueezeExcitation> squeeze_excitation(std::int64_t input_channels,
                                                      std::int64_t squeeze_channels,
                                                      const ModuleFactory& activation,
                                                      const ModuleFactory& scale_activation) {
    auto se = std::make_shared<SqueezeExcitation>();
    se->register_module("avgpool", std::make_shared<nn::AdaptiveAvgPool2d>(1));
    se->register_module("fc1", std::make_shared<nn::Conv2d>(input_channels, squeeze_channels, 1));
    se->register_module("fc2", std::make_shared<nn::Conv2d>(squeeze_channels, input_channels, 1));
    se->register_module("activation", activation());
    se->register_module("scale_activation", scale_activation());
    return se;
}

StochasticDepth::StochasticDepth(double p, std::string mode)
    : nn::Module("StochasticDepth")
    , p_(p)
    , mode_(std::move(mode)) {
    if (p_ < 0.0 || p_ > 1.0)
        throw std::invalid_argument("drop probability has to be between 0 and 1, but got " +
                                    nn::python_float_repr(p_));
    if (mode_ != "batch" && mode_ != "row")
        throw std::invalid_argument("mode has to be either 'batch' or 'row', but got " + mode_);
}

Tensor StochasticDepth::forward(const Tensor& input) {
    if (!is_training() || p_ == 0.0) return input;
    const double survival = 1.0 - p_;
    Shape size(static_cast<std::size_t>(input.dim()), 1);
    if (mode_ == "row" && input.dim() > 0) size[0] = input.shape()[0];
    Tensor noise = Tensor::empty(size, input.dtype());
    bernoulli_(noise, survival, default_generator());
    if (survival > 0.0) noise = div(noise, survival);
    return mul(input, noise);
}

std::string StochasticDepth::extra_repr() const {
    return "p=" + nn::python_float_repr(p_) + ", mode=" + mode_;
}

} // namespace nnscope::vision
