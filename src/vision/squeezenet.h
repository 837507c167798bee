#pragma once
// torchvision.models.squeezenet: Fire and SqueezeNet (squeezenet1_0, squeezenet1_1).

#include "engine/nn/module.h"

#include <string_view>

namespace nnscope::vision {

// cat(expand1x1_activation(expand1x1(s)), expand3x3_activation(expand3x3(s))) along channels,
// s = squeeze_activation(squeeze(x)).
class Fire final : public nn::Module {
public:
    explicit Fire(std::int64_t inplanes = 0)
        : nn::Module("Fire")
        , inplanes_(inplanes) {}
    Tensor forward(const Tensor& x) override;
    nn::Arguments arguments() const override { return {{"inplanes", inplanes_}}; }

private:
    std::int64_t inplanes_;
};

// features, classifier (dropout, final conv, relu, adaptive average pool), flatten.
class SqueezeNet final : public nn::Module {
public:
    explicit SqueezeNet(std::int64_t num_classes = 1000)
        : nn::Module("SqueezeNet")
        , num_classes_(num_classes) {}
    Tensor forward(const Tensor& x) override;
    nn::Arguments arguments() const override { return {{"num_classes", num_classes_}}; }

private:
    std::int64_t num_classes_;
};

// version "1_0" or "1_1"; nullptr for another.
std::shared_ptr<nn::Module> build_squeezenet(std::string_view version, std::int64_t num_classes);

} // namespace nnscope::vision
