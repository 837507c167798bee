#include "vision/resnet.h"

#include "engine/nn/activation.h"
#include "engine/nn/adaptive_pool.h"
#include "engine/nn/batchnorm.h"
#include "engine/nn/container.h"
#include "engine/nn/conv.h"
#include "engine/nn/init.h"
#include "engine/nn/linear.h"
#include "engine/nn/pooling.h"
#include "engine/ops/elementwise.h"
#include "vision/vision_module.h"

#include <array>
#include <map>

namespace nnscope::vision {

namespace {

Tensor residual(const nn::Module& block, Tensor out, const Tensor& x) {
    nn::Module* downsample = find_child(block, "downsample");
    out = add(out, downsample ? (*downsample)(x) : x);
    return run_child(block, "relu", out);
}

struct ResNetConfig {
    bool bottleneck;
    std::array<std::int64_t, 4> layers;
    std::int64_t groups = 1;
    std::int64_t width_per_group = 64;
};

const std::map<std::string, ResNetConfig, std::less<>>& configs() {
    static const std::map<std::string, ResNetConfig, std::less<>> table = {
        {"resnet18", {false, {2, 2, 2, 2}}},
        {"resnet34", {false, {3, 4, 6, 3}}},
        {"resnet50", {true, {3, 4, 6, 3}}},
        {"resnet101", {true, {3, 4, 23, 3}}},
        {"resnet152", {true, {3, 8, 36, 3}}},
        {"resnext50_32x4d", {true, {3, 4, 6, 3}, 32, 4}},
        {"resnext101_32x8d", {true, {3, 4, 23, 3}, 32, 8}},
        {"resnext101_64x4d", {true, {3, 4, 23, 3}, 64, 4}},
        {"wide_resnet50_2", {true, {3, 4, 6, 3}, 1, 128}},
        {"wide_resnet101_2", {true, {3, 4, 23, 3}, 1, 128}},
    };
    return table;
}

nn::ModulePtr conv(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride,
                   std::int64_t groups = 1) {
    return std::make_shared<nn::Conv2d>(in, out, kernel, stride, kernel / 2, 1, groups, false);
}

nn::ModulePtr bn(std::int64_t channels) {
    return std::make_shared<nn::BatchNorm2d>(channels);
}

// ResNet._make_layer and the blocks' constructors.
class LayerBuilder {
public:
    explicit LayerBuilder(const ResNetConfig& config)
        : config_(config) {}

    nn::ModulePtr layer(std::int64_t planes, std::int64_t blocks, std::int64_t stride) {
        const std::int64_t expansion = config_.bottleneck ? 4 : 1;
        nn::ModulePtr downsample;
        if (stride != 1 || inplanes_ != planes * expansion)
            downsample = std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
                conv(inplanes_, planes * expansion, 1, stride), bn(planes * expansion)});
        auto sequence = std::make_shared<nn::Sequential>();
        sequence->append(block(planes, stride, downsample));
        inplanes_ = planes * expansion;
        for (std::int64_t i = 1; i < blocks; ++i)
            sequence->append(block(planes, 1, nullptr));
        return sequence;
    }

private:
    nn::ModulePtr block(std::int64_t planes, std::int64_t stride, nn::ModulePtr downsample) {
        nn::ModulePtr b;
        if (!config_.bottleneck) {
            b = std::make_shared<BasicBlock>(stride);
            b->register_module("conv1", conv(inplanes_, planes, 3, stride));
            b->register_module("bn1", bn(planes));
            b->register_module("relu", std::make_shared<nn::ReLU>(true));
            b->register_module("conv2", conv(planes, planes, 3, 1));
            b->register_module("bn2", bn(planes));
        } else {
            const std::int64_t width = planes * config_.width_per_group / 64 * config_.groups;
            b = std::make_shared<Bottleneck>(stride);
            b->register_module("conv1", conv(inplanes_, width, 1, 1));
            b->register_module("bn1", bn(width));
            b->register_module("conv2", conv(width, width, 3, stride, config_.groups));
            b->register_module("bn2", bn(width));
            b->register_module("conv3", conv(width, planes * 4, 1, 1));
            b->register_module("bn3", bn(planes * 4));
            b->register_module("relu", std::make_shared<nn::ReLU>(true));
        }
        b->register_module("downsample", std::move(downsample));
        return b;
    }

    const ResNetConfig& config_;
    std::int64_t inplanes_ = 64;
};

// ResNet.__init__'s initialisation: kaiming_normal_(fan_out, relu) convolutions; batch norms
// and the fc keep their own defaults (weight 1, bias 0 / PyTorch's Linear init).
void init_convolutions(nn::Module& model) {
    for (nn::Module* m : model.modules())
        if (auto* c = dynamic_cast<nn::Conv2d*>(m))
            nn::init::kaiming_normal_(c->weight(), 0.0, "fan_out", "relu");
}

} // namespace

Tensor BasicBlock::forward(const Tensor& x) {
    Tensor out = run_child(*this, "conv1", x);
    out = run_child(*this, "bn1", out);
    out = run_child(*this, "relu", out);
    out = run_child(*this, "conv2", out);
    out = run_child(*this, "bn2", out);
    return residual(*this, out, x);
}

Tensor Bottleneck::forward(const Tensor& x) {
    Tensor out = run_child(*this, "conv1", x);
    out = run_child(*this, "bn1", out);
    out = run_child(*this, "relu", out);
    out = run_child(*this, "conv2", out);
    out = run_child(*this, "bn2", out);
    out = run_child(*this, "relu", out);
    out = run_child(*this, "conv3", out);
    out = run_child(*this, "bn3", out);
    return residual(*this, out, x);
}

Tensor ResNet::forward(const Tensor& input) {
    Tensor x = input;
    for (const char* name :
         {"conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool"})
        x = run_child(*this, name, x);
    return run_child(*this, "fc", x.flatten(1));
}

std::shared_ptr<nn::Module> build_resnet(std::string_view name, std::int64_t num_classes) {
    const auto found = configs().find(name);
    if (found == configs().end()) return nullptr;
    const ResNetConfig& config = found->second;
    auto model = std::make_shared<ResNet>();
    model->register_module("conv1", std::make_shared<nn::Conv2d>(3, 64, 7, 2, 3, 1, 1, false));
    model->register_module("bn1", bn(64));
    model->register_module("relu", std::make_shared<nn::ReLU>(true));
    model->register_module("maxpool", std::make_shared<nn::MaxPool2d>(3, 2, 1));
    LayerBuilder builder(config);
    model->register_module("layer1", builder.layer(64, config.layers[0], 1));
    model->register_module("layer2", builder.layer(128, config.layers[1], 2));
    model->register_module("layer3", builder.layer(256, config.layers[2], 2));
    model->register_module("layer4", builder.layer(512, config.layers[3], 2));
    model->register_module("avgpool",
                           std::make_shared<nn::AdaptiveAvgPool2d>(nn::Value::ints({1, 1})));
    model->register_module(
        "fc", std::make_shared<nn::Linear>(512 * (config.bottleneck ? 4 : 1), num_classes));
    init_convolutions(*model);
    return model;
}

std::vector<std::string> resnet_names() {
    std::vector<std::string> names;
    for (const auto& [name, config] : configs())
        names.push_back(name);
    return names;
}

} // namespace nnscope::vision
