#pragma once
// torchvision.ops' building blocks of the classification models: Conv2dNormActivation (a
// Sequential of conv, norm and activation), SqueezeExcitation and StochasticDepth.

#include "engine/nn/container.h"

#include <functional>

namespace nnscope::vision {

using ModuleFactory = std::function<nn::ModulePtr()>;
using NormFactory = std::function<nn::ModulePtr(std::int64_t channels)>;

// nn.BatchNorm2d(channels, eps, momentum) as a norm_layer.
NormFactory batch_norm(double eps = 1e-5, double momentum = 0.1);
// The activation modules torchvision builds with inplace=True.
nn::ModulePtr relu_inplace();
nn::ModulePtr relu6_inplace();
nn::ModulePtr silu_inplace();
nn::ModulePtr hardswish_inplace();

// torchvision.ops.Conv2dNormActivation: children "0" Conv2d, "1" norm, "2" activation.
class Conv2dNormActivation final : public nn::Sequential {
public:
    explicit Conv2dNormActivation(std::int64_t out_channels = 0)
        : nn::Sequential("Conv2dNormActivation")
        , out_channels_(out_channels) {}
    nn::Arguments arguments() const override { return {{"out_channels", out_channels_}}; }

private:
    std::int64_t out_channels_;
};

struct ConvNormActivationOptions {
    std::int64_t kernel_size = 3;
    std::int64_t stride = 1;
    std::int64_t groups = 1;
    NormFactory norm = batch_norm();
    ModuleFactory activation = relu_inplace; // empty: no activation
};

// Conv2dNormActivation(in, out, ...) with padding (kernel_size - 1) / 2 and no conv bias.
std::shared_ptr<Conv2dNormActivation>
conv_norm_activation(std::int64_t in_channels, std::int64_t out_channels,
                     const ConvNormActivationOptions& options);

// torchvision.ops.SqueezeExcitation: input * scale_activation(fc2(activation(fc1(avgpool(x))))).
class SqueezeExcitation final : public nn::Module {
public:
    SqueezeExcitation()
        : nn::Module("SqueezeExcitation") {}
    Tensor forward(const Tensor& input) override;
};

std::shared_ptr<SqueezeExcitation> squeeze_excitation(std::int64_t input_channels,
                                                      std::int64_t squeeze_channels,
                                                      const ModuleFactory& activation,
                                                      const ModuleFactory& scale_activation);

// torchvision.ops.StochasticDepth(p, mode): in training drops whole samples ("row") or the
// whole batch ("batch") with probability p, scaling survivors by 1 / (1 - p); identity in eval.
class StochasticDepth final : public nn::Module {
public:
    explicit StochasticDepth(double p = 0.0, std::string mode = "row");
    Tensor forward(const Tensor& input) override;
    nn::Arguments arguments() const override { return {{"p", p_}, {"mode", mode_}}; }
    std::string extra_repr() const override;

private:
    double p_;
    std::string mode_;
};

} // namespace nnscope::vision
