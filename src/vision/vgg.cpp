#include "vision/vgg.h"

#include "engine/nn/activation.h"
#include "engine/nn/adaptive_pool.h"
#include "engine/nn/batchnorm.h"
#include "engine/nn/container.h"
#include "engine/nn/conv.h"
#include "engine/nn/dropout.h"
#include "engine/nn/init.h"
#include "engine/nn/linear.h"
#include "engine/nn/pooling.h"
#include "vision/pooled_classifier.h"

#include <map>

namespace nnscope::vision {

namespace {

constexpr std::int64_t M = 0; // a max pool in a configuration

const std::map<std::string, std::vector<std::int64_t>, std::less<>>& configs() {
    static const std::map<std::string, std::vector<std::int64_t>, std::less<>> table = {
        {"vgg11", {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M}},
        {"vgg13", {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M}},
        {"vgg16", {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M}},
        {"vgg19", {64,  64,  M,   128, 128, M,   256, 256, 256, 256, M,
                   512, 512, 512, 512, M,   512, 512, 512, 512, M}},
    };
    return table;
}

nn::ModulePtr relu() {
    return std::make_shared<nn::ReLU>(true);
}

nn::ModulePtr linear(std::int64_t in, std::int64_t out) {
    return std::make_shared<nn::Linear>(in, out);
}

} // namespace

std::shared_ptr<nn::Module> build_vgg(std::string_view name, std::int64_t num_classes) {
    const bool batch_norm = name.ends_with("_bn");
    const auto found = configs().find(batch_norm ? name.substr(0, name.size() - 3) : name);
    if (found == configs().end()) return nullptr;
    auto features = std::make_shared<nn::Sequential>();
    std::int64_t in_channels = 3;
    for (const std::int64_t v : found->second) {
        if (v == M) {
            features->append(std::make_shared<nn::MaxPool2d>(2, 2));
            continue;
        }
        features->append(std::make_shared<nn::Conv2d>(in_channels, v, 3, 1, 1));
        if (batch_norm) features->append(std::make_shared<nn::BatchNorm2d>(v));
        features->append(relu());
        in_channels = v;
    }
    auto model = std::make_shared<PooledClassifier>("VGG");
    model->register_module("features", features);
    model->register_module("avgpool",
                           std::make_shared<nn::AdaptiveAvgPool2d>(nn::Value::ints({7, 7})));
    model->register_module("classifier",
                           std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
                               linear(512 * 7 * 7, 4096), relu(),
                               std::make_shared<nn::Dropout>(0.5), linear(4096, 4096), relu(),
                               std::make_shared<nn::Dropout>(0.5), linear(4096, num_classes)}));
    // VGG.__init__'s initialisation.
    for (nn::Module* m : model->modules()) {
        if (auto* c = dynamic_cast<nn::Conv2d*>(m)) {
            nn::init::kaiming_normal_(c->weight(), 0.0, "fan_out", "relu");
            nn::init::zeros_(c->bias());
        } else if (auto* l = dynamic_cast<nn::Linear*>(m)) {
            nn::init::normal_(l->parameter("weight"), 0.0, 0.01);
            nn::init::zeros_(l->parameter("bias"));
        }
    }
    return model;
}

std::vector<std::string> vgg_names() {
    std::vector<std::string> names;
    for (const auto& [name, config] : configs()) {
        names.push_back(name);
        names.push_back(name + "_bn");
    }
    return names;
}

std::shared_ptr<nn::Module> build_alexnet(std::int64_t num_classes) {
    auto pool = [] { return std::make_shared<nn::MaxPool2d>(3, 2); };
    auto model = std::make_shared<PooledClassifier>("AlexNet");
    model->register_module("features",
                           std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
                               std::make_shared<nn::Conv2d>(3, 64, 11, 4, 2), relu(), pool(),
                               std::make_shared<nn::Conv2d>(64, 192, 5, 1, 2), relu(), pool(),
                               std::make_shared<nn::Conv2d>(192, 384, 3, 1, 1), relu(),
                               std::make_shared<nn::Conv2d>(384, 256, 3, 1, 1), relu(),
                               std::make_shared<nn::Conv2d>(256, 256, 3, 1, 1), relu(), pool()}));
    model->register_module("avgpool",
                           std::make_shared<nn::AdaptiveAvgPool2d>(nn::Value::ints({6, 6})));
    model->register_module("classifier",
                           std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
                               std::make_shared<nn::Dropout>(0.5), linear(256 * 6 * 6, 4096),
                               relu(), std::make_shared<nn::Dropout>(0.5), linear(4096, 4096),
                               relu(), linear(4096, num_classes)}));
    return model;
}

} // namespace nnscope::vision
