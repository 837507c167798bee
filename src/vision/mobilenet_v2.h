#pragma once
// torchvision.models.mobilenetv2: InvertedResidual and MobileNetV2 (mobilenet_v2).

#include "engine/nn/module.h"

namespace nnscope::vision {

// x + conv(x) when use_res_connect (stride 1, as many channels out as in), else conv(x).
class MobileNetV2InvertedResidual final : public nn::Module {
public:
    explicit MobileNetV2InvertedResidual(std::int64_t stride = 1, bool use_res_connect = false,
                                         std::int64_t out_channels = 0)
        : nn::Module("InvertedResidual")
        , stride_(stride)
        , use_res_connect_(use_res_connect)
        , out_channels_(out_channels) {}
    Tensor forward(const Tensor& x) override;
    nn::Arguments arguments() const override {
        return {{"stride", stride_},
                {"use_res_connect", use_res_connect_},
                {"out_channels", out_channels_}};
    }

private:
    std::int64_t stride_;
    bool use_res_connect_;
    std::int64_t out_channels_;
};

// features, adaptive_avg_pool2d(1, 1) (functional: no module), flatten, classifier.
class MobileNetV2 final : public nn::Module {
public:
    explicit MobileNetV2(std::int64_t last_channel = 1280)
        : nn::Module("MobileNetV2")
        , last_channel_(last_channel) {}
    Tensor forward(const Tensor& x) override;
    nn::Arguments arguments() const override { return {{"last_channel", last_channel_}}; }

private:
    std::int64_t last_channel_;
};

std::shared_ptr<nn::Module> build_mobilenet_v2(std::int64_t num_classes);

// torchvision's _make_divisible: v rounded to a multiple of divisor, at least min_value (default
// divisor), never more than 10% below v.
std::int64_t make_divisible(double v, std::int64_t divisor, std::int64_t min_value = 0);

// Conv2d: kaiming_normal_(fan_out), bias 0; BatchNorm: 1, 0; Linear: normal_(0, 0.01), bias 0
// (MobileNetV2's and MobileNetV3's initialisation).
void init_mobilenet(nn::Module& model);

} // namespace nnscope::vision
