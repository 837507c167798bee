#pragma once
// torchvision.models.shufflenetv2: InvertedResidual and ShuffleNetV2 (shufflenet_v2_x0_5,
// x1_0, x1_5, x2_0).

#include "engine/nn/module.h"

#include <string_view>

namespace nnscope::vision {

// stride 1: the channels split in two halves, the second through branch2; stride > 1: branch1(x)
// beside branch2(x). Then channel_shuffle(out, 2).
class ShuffleInvertedResidual final : public nn::Module {
public:
    explicit ShuffleInvertedResidual(std::int64_t stride = 1)
        : nn::Module("InvertedResidual")
        , stride_(stride) {}
    Tensor forward(const Tensor& x) override;
    nn::Arguments arguments() const override { return {{"stride", stride_}}; }

private:
    std::int64_t stride_;
};

// conv1, maxpool, stage2..4, conv5, mean over the plane, fc.
class ShuffleNetV2 final : public nn::Module {
public:
    ShuffleNetV2()
        : nn::Module("ShuffleNetV2") {}
    Tensor forward(const Tensor& x) override;
};

// torchvision's channel_shuffle: [N, C, H, W] viewed as [N, groups, C / groups, H, W], the two
// group dims swapped.
Tensor channel_shuffle(const Tensor& x, std::int64_t groups);

// "x0_5", "x1_0", "x1_5", "x2_0"; nullptr for another width.
std::shared_ptr<nn::Module> build_shufflenet_v2(std::string_view width, std::int64_t num_classes);

} // namespace nnscope::vision
