#pragma once
// The block torchvision writes alike as EfficientNet's MBConv and MobileNetV3's
// InvertedResidual: result = block(x); when use_res_connect, result = stochastic_depth(result) + x
// (MBConv has the stochastic_depth child, MobileNetV3's block none).

#include "engine/nn/module.h"

namespace nnscope::vision {

class ResidualBlock final : public nn::Module {
public:
    ResidualBlock(std::string type_name, bool use_res_connect, std::int64_t out_channels)
        : nn::Module(std::move(type_name))
        , use_res_connect_(use_res_connect)
        , out_channels_(out_channels) {}
    Tensor forward(const Tensor& x) override;
    nn::Arguments arguments() const override {
        return {{"use_res_connect", use_res_connect_}, {"out_channels", out_channels_}};
    }

private:
    bool use_res_connect_;
    std::int64_t out_channels_;
};

} // namespace nnscope::vision
