#pragma once
// torchvision.models.vgg and alexnet: VGG (vgg11..19, with _bn variants) and AlexNet, both run
// by PooledClassifier (features, avgpool, flatten, classifier).

#include "engine/nn/module.h"

#include <string_view>

namespace nnscope::vision {

// "vgg11", "vgg13_bn", ...; nullptr for another name.
std::shared_ptr<nn::Module> build_vgg(std::string_view name, std::int64_t num_classes);
std::vector<std::string> vgg_names();
std::shared_ptr<nn::Module> build_alexnet(std::int64_t num_classes);

} // namespace nnscope::vision
