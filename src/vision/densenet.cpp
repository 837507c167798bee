#include "vision/densenet.h"

#include "engine/generator.h"
#include "engine/nn/activation.h"
#include "engine/nn/batchnorm.h"
#include "engine/nn/conv.h"
#include "engine/nn/init.h"
#include "engine/nn/linear.h"
#include "engine/nn/pooling.h"
#include "engine/ops/activation.h"
#include "engine/ops/adaptive_pool.h"
#include "engine/ops/norm.h"
#include "engine/ops/shape.h"
#include "vision/vision_module.h"

#include <array>
#include <map>

namespace nnscope::vision {

namespace {

struct DenseConfig {
    std::int64_t growth_rate;
    std::array<std::int64_t, 4> block_config;
    std::int64_t num_init_features;
};

const std::map<std::string, DenseConfig, std::less<>>& configs() {
    static const std::map<std::string, DenseConfig, std::less<>> table = {
        {"densenet121", {32, {6, 12, 24, 16}, 64}},
        {"densenet161", {48, {6, 12, 36, 24}, 96}},
        {"densenet169", {32, {6, 12, 32, 32}, 64}},
        {"densenet201", {32, {6, 12, 48, 32}, 64}},
    };
    return table;
}

nn::ModulePtr conv(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride,
                   std::int64_t padding) {
    return std::make_shared<nn::Conv2d>(in, out, kernel, stride, padding, 1, 1, false);
}

nn::ModulePtr dense_layer(std::int64_t in, std::int64_t growth_rate, std::int64_t bn_size) {
    auto layer = std::make_shared<DenseLayer>(0.0, false);
    layer->register_module("norm1", std::make_shared<nn::BatchNorm2d>(in));
    layer->register_module("relu1", std::make_shared<nn::ReLU>(true));
    layer->register_module("conv1", conv(in, bn_size * growth_rate, 1, 1, 0));
    layer->register_module("norm2", std::make_shared<nn::BatchNorm2d>(bn_size * growth_rate));
    layer->register_module("relu2", std::make_shared<nn::ReLU>(true));
    layer->register_module("conv2", conv(bn_size * growth_rate, growth_rate, 3, 1, 1));
    return layer;
}

} // namespace

Tensor DenseLayer::forward_inputs(const std::vector<Tensor>& inputs) {
    const Tensor concatenated = inputs.size() == 1 ? inputs.front() : cat(inputs, 1);
    Tensor x = run_child(*this, "norm1", concatenated);
    x = run_child(*this, "relu1", x);
    x = run_child(*this, "conv1", x);
    x = run_child(*this, "norm2", x);
    x = run_child(*this, "relu2", x);
    x = run_child(*this, "conv2", x);
    if (drop_rate_ > 0) x = dropout(x, drop_rate_, is_training(), default_generator());
    return x;
}

Tensor DenseBlock::forward(const Tensor& input) {
    std::vector<Tensor> features{input};
    for (const auto& [name, layer] : module_dict())
        if (layer) features.push_back(layer->call(features));
    return cat(features, 1);
}

Tensor DenseNet::forward(const Tensor& input) {
    Tensor x = relu(run_child(*this, "features", input));
    x = adaptive_avg_pool2d(x, {1, 1});
    return run_child(*this, "classifier", x.flatten(1));
}

std::shared_ptr<nn::Module> build_densenet(std::string_view name, std::int64_t num_classes) {
    const auto found = configs().find(name);
    if (found == configs().end()) return nullptr;
    const DenseConfig& config = found->second;
    const std::int64_t bn_size = 4;
    auto features = std::make_shared<nn::Sequential>();
    features->register_module("conv0", conv(3, config.num_init_features, 7, 2, 3));
    features->register_module("norm0", std::make_shared<nn::BatchNorm2d>(config.num_init_features));
    features->register_module("relu0", std::make_shared<nn::ReLU>(true));
    features->register_module("pool0", std::make_shared<nn::MaxPool2d>(3, 2, 1));
    std::int64_t num_features = config.num_init_features;
    for (std::size_t i = 0; i < config.block_config.size(); ++i) {
        auto block = std::make_shared<DenseBlock>();
        for (std::int64_t l = 0; l < config.block_config[i]; ++l)
            block->register_module(
                "denselayer" + std::to_string(l + 1),
                dense_layer(num_features + l * config.growth_rate, config.growth_rate, bn_size));
        features->register_module("denseblock" + std::to_string(i + 1), block);
        num_features += config.block_config[i] * config.growth_rate;
        if (i + 1 == config.block_config.size()) break;
        auto transition = std::make_shared<DenseTransition>();
        transition->register_module("norm", std::make_shared<nn::BatchNorm2d>(num_features));
        transition->register_module("relu", std::make_shared<nn::ReLU>(true));
        transition->register_module("conv", conv(num_features, num_features / 2, 1, 1, 0));
        transition->register_module("pool", std::make_shared<nn::AvgPool2d>(2, 2));
        features->register_module("transition" + std::to_string(i + 1), transition);
        num_features /= 2;
    }
    features->register_module("norm5", std::make_shared<nn::BatchNorm2d>(num_features));
    auto model = std::make_shared<DenseNet>();
    model->register_module("features", features);
    auto classifier = std::make_shared<nn::Linear>(num_features, num_classes);
    model->register_module("classifier", classifier);
    // DenseNet.__init__'s initialisation (batch norms keep weight 1, bias 0).
    for (nn::Module* m : model->modules())
        if (auto* c = dynamic_cast<nn::Conv2d*>(m)) nn::init::kaiming_normal_(c->weight());
    nn::init::zeros_(classifier->parameter("bias"));
    return model;
}

std::vector<std::string> densenet_names() {
    std::vector<std::string> names;
    for (const auto& [name, config] : configs())
        names.push_back(name);
    return names;
}

} // namespace nnscope::vision
