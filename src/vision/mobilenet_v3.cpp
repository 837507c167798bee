#include "vision/mobilenet_v3.h"

#include "engine/nn/activation.h"
#include "engine/nn/adaptive_pool.h"
#include "engine/nn/container.h"
#include "engine/nn/dropout.h"
#include "engine/nn/linear.h"
#include "engine/nn/mobile_activation.h"
#include "vision/mobilenet_v2.h"
#include "vision/ops_misc.h"
#include "vision/pooled_classifier.h"
#include "vision/residual_block.h"

namespace nnscope::vision {

namespace {

// InvertedResidualConfig (width_mult 1): input, kernel, expanded, out, use_se, hardswish, stride.
struct BlockConfig {
    std::int64_t input_channels, kernel, expanded_channels, out_channels;
    bool use_se, use_hs;
    std::int64_t stride;
};

const std::vector<BlockConfig> kLarge = {
    {16, 3, 16, 16, false, false, 1},  {16, 3, 64, 24, false, false, 2},
    {24, 3, 72, 24, false, false, 1},  {24, 5, 72, 40, true, false, 2},
    {40, 5, 120, 40, true, false, 1},  {40, 5, 120, 40, true, false, 1},
    {40, 3, 240, 80, false, true, 2},  {80, 3, 200, 80, false, true, 1},
    {80, 3, 184, 80, false, true, 1},  {80, 3, 184, 80, false, true, 1},
    {80, 3, 480, 112, true, true, 1},  {112, 3, 672, 112, true, true, 1},
    {112, 5, 672, 160, true, true, 2}, {160, 5, 960, 160, true, true, 1},
    {160, 5, 960, 160, true, true, 1}};

const std::vector<BlockConfig> kSmall = {
    {16, 3, 16, 16, true, false, 2},  {16, 3, 72, 24, false, false, 2},
    {24, 3, 88, 24, false, false, 1}, {24, 5, 96, 40, true, true, 2},
    {40, 5, 240, 40, true, true, 1},  {40, 5, 240, 40, true, true, 1},
    {40, 5, 120, 48, true, true, 1},  {48, 5, 144, 48, true, true, 1},
    {48, 5, 288, 96, true, true, 2},  {96, 5, 576, 96, true, true, 1},
    {96, 5, 576, 96, true, true, 1}};

nn::ModulePtr block(const BlockConfig& cnf, const NormFactory& norm) {
    auto b = std::make_shared<ResidualBlock>(
        "InvertedResidual", cnf.stride == 1 && cnf.input_channels == cnf.out_channels,
        cnf.out_channels);
    auto layers = std::make_shared<nn::Sequential>();
    ConvNormActivationOptions options;
    options.norm = norm;
    options.activation = cnf.use_hs ? hardswish_inplace : relu_inplace;
    if (cnf.expanded_channels != cnf.input_channels) {
        options.kernel_size = 1;
        layers->append(conv_norm_activation(cnf.input_channels, cnf.expanded_channels, options));
    }
    options.kernel_size = cnf.kernel;
    options.stride = cnf.stride;
    options.groups = cnf.expanded_channels;
    layers->append(conv_norm_activation(cnf.expanded_channels, cnf.expanded_channels, options));
    if (cnf.use_se)
        layers->append(squeeze_excitation(
            cnf.expanded_channels,
            make_divisible(static_cast<double>(cnf.expanded_channels / 4), 8),
            [] { return std::make_shared<nn::ReLU>(); },
            [] { return std::make_shared<nn::Hardsigmoid>(); }));
    ConvNormActivationOptions project;
    project.kernel_size = 1;
    project.norm = norm;
    project.activation = nullptr;
    layers->append(conv_norm_activation(cnf.expanded_channels, cnf.out_channels, project));
    b->register_module("block", layers);
    return b;
}

} // namespace

std::shared_ptr<nn::Module> build_mobilenet_v3(std::string_view variant, std::int64_t num_classes) {
    if (variant != "small" && variant != "large") return nullptr;
    const bool large = variant == "large";
    const std::vector<BlockConfig>& setting = large ? kLarge : kSmall;
    const std::int64_t last_channel = large ? 1280 : 1024;
    const NormFactory norm = batch_norm(1e-3, 0.01);
    auto features = std::make_shared<nn::Sequential>();
    ConvNormActivationOptions stem;
    stem.stride = 2;
    stem.norm = norm;
    stem.activation = hardswish_inplace;
    features->append(conv_norm_activation(3, setting.front().input_channels, stem));
    for (const BlockConfig& cnf : setting)
        features->append(block(cnf, norm));
    const std::int64_t last_in = setting.back().out_channels;
    const std::int64_t last_out = 6 * last_in;
    ConvNormActivationOptions head;
    head.kernel_size = 1;
    head.norm = norm;
    head.activation = hardswish_inplace;
    features->append(conv_norm_activation(last_in, last_out, head));
    auto model = std::make_shared<PooledClassifier>("MobileNetV3");
    model->register_module("features", features);
    model->register_module("avgpool", std::make_shared<nn::AdaptiveAvgPool2d>(1));
    model->register_module("classifier",
                           std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
                               std::make_shared<nn::Linear>(last_out, last_channel),
                               hardswish_inplace(), std::make_shared<nn::Dropout>(0.2, true),
                               std::make_shared<nn::Linear>(last_channel, num_classes)}));
    init_mobilenet(*model);
    return model;
}

} // namespace nnscope::vision
