#pragma once
// torchvision.models.mobilenetv3: MobileNetV3 (mobilenet_v3_small, mobilenet_v3_large), its
// InvertedResidual blocks a ResidualBlock (residual_block.h) and the model a PooledClassifier.

#include "engine/nn/module.h"

#include <string_view>

namespace nnscope::vision {

// "small" or "large"; nullptr for another variant.
std::shared_ptr<nn::Module> build_mobilenet_v3(std::string_view variant, std::int64_t num_classes);

} // namespace nnscope::vision
