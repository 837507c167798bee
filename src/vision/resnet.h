#pragma once
// torchvision.models.resnet: BasicBlock, Bottleneck and ResNet (resnet18..152, resnext50_32x4d,
// resnext101_32x8d, resnext101_64x4d, wide_resnet50_2, wide_resnet101_2).

#include "engine/nn/module.h"

#include <string_view>

namespace nnscope::vision {

// relu(bn2(conv2(relu(bn1(conv1(x))))) + downsample(x)); downsample may be None.
class BasicBlock final : public nn::Module {
public:
    explicit BasicBlock(std::int64_t stride = 1)
        : nn::Module("BasicBlock")
        , stride_(stride) {}
    Tensor forward(const Tensor& x) override;
    nn::Arguments arguments() const override { return {{"stride", stride_}}; }

private:
    std::int64_t stride_;
};

// conv1 1x1, conv2 3x3 (stride, groups), conv3 1x1 with expansion 4, then the residual.
class Bottleneck final : public nn::Module {
public:
    explicit Bottleneck(std::int64_t stride = 1)
        : nn::Module("Bottleneck")
        , stride_(stride) {}
    Tensor forward(const Tensor& x) override;
    nn::Arguments arguments() const override { return {{"stride", stride_}}; }

private:
    std::int64_t stride_;
};

// conv1, bn1, relu, maxpool, layer1..4, avgpool, flatten, fc.
class ResNet final : public nn::Module {
public:
    ResNet()
        : nn::Module("ResNet") {}
    Tensor forward(const Tensor& x) override;
};

// The ResNet-family architecture `name` ("resnet18", "resnext50_32x4d", ...); nullptr when the
// name is not one.
std::shared_ptr<nn::Module> build_resnet(std::string_view name, std::int64_t num_classes);
std::vector<std::string> resnet_names();

} // namespace nnscope::vision
