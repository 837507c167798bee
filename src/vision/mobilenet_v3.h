#pragma once
// torchvision.models.mobilenetv3: InvertedResidual and MobileNetV3 (mobilenet_v3_small,
// mobilenet_v3_large; the model itself runs as PooledClassifier).

#include "engine/nn/module.h"

#include <string_view>

namespace nnscope::vision {

// block(x), plus x when use_res_connect.
class MobileNetV3InvertedResidual final : public nn::Module {
public:
    explicit MobileNetV3InvertedResidual(bool use_res_connect = false,
                                         std::int64_t out_channels = 0)
        : nn::Module("InvertedResidual")
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

// "small" or "large"; nullptr for another variant.
std::shared_ptr<nn::Module> build_mobilenet_v3(std::string_view variant, std::int64_t num_classes);

} // namespace nnscope::vision
