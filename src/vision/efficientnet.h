#pragma once
// torchvision.models.efficientnet: MBConv and EfficientNet (efficientnet_b0..b7).

#include "engine/nn/module.h"

#include <string_view>

namespace nnscope::vision {

// block(x), plus stochastic_depth(block(x)) + x instead when use_res_connect.
class MBConv final : public nn::Module {
public:
    explicit MBConv(bool use_res_connect = false, std::int64_t out_channels = 0)
        : nn::Module("MBConv")
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

// "b0".."b7"; nullptr for another variant.
std::shared_ptr<nn::Module> build_efficientnet(std::string_view variant, std::int64_t num_classes);

} // namespace nnscope::vision
