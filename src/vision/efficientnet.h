#pragma once
// torchvision.models.efficientnet: EfficientNet (efficientnet_b0..b7), its MBConv blocks a
// ResidualBlock (residual_block.h) and the model a PooledClassifier.

#include "engine/nn/module.h"

#include <string_view>

namespace nnscope::vision {

// "b0".."b7"; nullptr for another variant.
std::shared_ptr<nn::Module> build_efficientnet(std::string_view variant, std::int64_t num_classes);

} // namespace nnscope::vision
