#pragma once
// The forward torchvision writes alike in EfficientNet, MobileNetV3, VGG and AlexNet.

#include "engine/nn/module.h"

namespace nnscope::vision {

// features, avgpool, flatten, classifier; the type name is the torchvision class it stands for
// ("EfficientNet", "MobileNetV3", "VGG", "AlexNet").
class PooledClassifier final : public nn::Module {
public:
    explicit PooledClassifier(std::string type_name)
        : nn::Module(std::move(type_name)) {}
    Tensor forward(const Tensor& x) override;
};

} // namespace nnscope::vision
