#include "vision/mobilenet_v2.h"

#include "engine/nn/batchnorm.h"
#include "engine/nn/container.h"
#include "engine/nn/conv.h"
#include "engine/nn/dropout.h"
#include "engine/nn/init.h"
#include "engine/nn/linear.h"
#include "engine/ops/adaptive_pool.h"
#include "engine/ops/elementwise.h"
#include "vision/ops_misc.h"
#include "vision/vision_module.h"

#include <algorithm>
#include <cmath>

namespace nnscope::vision {

namespace {

nn::ModulePtr inverted_residual(std::int64_t inp, std::int64_t oup, std::int64_t stride,
                                std::int64_t expand_ratio) {
    const auto hidden =
        static_cast<std::int64_t>(std::llround(static_cast<double>(inp * expand_ratio)));
    auto block =
        std::make_shared<MobileNetV2InvertedResidual>(stride, stride == 1 && inp == oup, oup);
    auto conv = std::make_shared<nn::Sequential>();
    ConvNormActivationOptions options;
    options.activation = relu6_inplace;
    if (expand_ratio != 1) {
        options.kernel_size = 1;
        conv->append(conv_norm_activation(inp, hidden, options));
    }
    options.kernel_size = 3;
    options.stride = stride;
    options.groups = hidden;
    conv->append(conv_norm_activation(hidden, hidden, options));
    conv->append(std::make_shared<nn::Conv2d>(hidden, oup, 1, 1, 0, 1, 1, false));
    conv->append(std::make_shared<nn::BatchNorm2d>(oup));
    block->register_module("conv", conv);
    return block;
}

} // namespace

Tensor MobileNetV2InvertedResidual::forward(const Tensor& x) {
    if (use_res_connect_) return add(x, run_child(*this, "conv", x));
    return run_child(*this, "conv", x);
}

Tensor MobileNetV2::forward(const Tensor& input) {
    Tensor x = run_child(*this, "features", input);
    x = adaptive_avg_pool2d(x, {1, 1});
    return run_child(*this, "classifier", x.flatten(1));
}

std::int64_t make_divisible(double v, std::int64_t divisor, std::int64_t min_value) {
    if (min_value == 0) min_value = divisor;
    const auto rounded =
        static_cast<std::int64_t>(v + static_cast<double>(divisor) / 2.0) / divisor * divisor;
    std::int64_t result = std::max(min_value, rounded);
    if (static_cast<double>(result) < 0.9 * v) result += divisor;
    return result;
}

void init_mobilenet(nn::Module& model) {
    for (nn::Module* m : model.modules()) {
        if (auto* c = dynamic_cast<nn::Conv2d*>(m)) {
            nn::init::kaiming_normal_(c->weight(), 0.0, "fan_out");
            if (c->bias().defined()) nn::init::zeros_(c->bias());
        } else if (auto* l = dynamic_cast<nn::Linear*>(m)) {
            nn::init::normal_(l->parameter("weight"), 0.0, 0.01);
            nn::init::zeros_(l->parameter("bias"));
        }
    }
}

std::shared_ptr<nn::Module> build_mobilenet_v2(std::int64_t num_classes) {
    // t (expansion), c (channels), n (repeats), s (first stride)
    static const std::int64_t setting[7][4] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2},
                                               {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2},
                                               {6, 320, 1, 1}};
    const std::int64_t last_channel = 1280;
    auto model = std::make_shared<MobileNetV2>(last_channel);
    auto features = std::make_shared<nn::Sequential>();
    ConvNormActivationOptions stem;
    stem.stride = 2;
    stem.activation = relu6_inplace;
    std::int64_t input_channel = 32;
    features->append(conv_norm_activation(3, input_channel, stem));
    for (const auto& [t, c, n, s] : setting)
        for (std::int64_t i = 0; i < n; ++i) {
            features->append(inverted_residual(input_channel, c, i == 0 ? s : 1, t));
            input_channel = c;
        }
    ConvNormActivationOptions head;
    head.kernel_size = 1;
    head.activation = relu6_inplace;
    features->append(conv_norm_activation(input_channel, last_channel, head));
    model->register_module("features", features);
    model->register_module("classifier",
                           std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
                               std::make_shared<nn::Dropout>(0.2),
                               std::make_shared<nn::Linear>(last_channel, num_classes)}));
    init_mobilenet(*model);
    return model;
}

} // namespace nnscope::vision
