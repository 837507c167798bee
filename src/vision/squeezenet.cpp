#include "vision/squeezenet.h"

#include "engine/nn/activation.h"
#include "engine/nn/adaptive_pool.h"
#include "engine/nn/container.h"
#include "engine/nn/conv.h"
#include "engine/nn/dropout.h"
#include "engine/nn/init.h"
#include "engine/nn/pooling.h"
#include "engine/ops/shape.h"
#include "vision/vision_module.h"

namespace nnscope::vision {

namespace {

nn::ModulePtr fire(std::int64_t inplanes, std::int64_t squeeze, std::int64_t expand1x1,
                   std::int64_t expand3x3) {
    auto f = std::make_shared<Fire>(inplanes);
    f->register_module("squeeze", std::make_shared<nn::Conv2d>(inplanes, squeeze, 1));
    f->register_module("squeeze_activation", std::make_shared<nn::ReLU>(true));
    f->register_module("expand1x1", std::make_shared<nn::Conv2d>(squeeze, expand1x1, 1));
    f->register_module("expand1x1_activation", std::make_shared<nn::ReLU>(true));
    f->register_module("expand3x3", std::make_shared<nn::Conv2d>(squeeze, expand3x3, 3, 1, 1));
    f->register_module("expand3x3_activation", std::make_shared<nn::ReLU>(true));
    return f;
}

nn::ModulePtr relu() {
    return std::make_shared<nn::ReLU>(true);
}

nn::ModulePtr pool() {
    return std::make_shared<nn::MaxPool2d>(3, 2, 0, 1, false, true);
}

} // namespace

Tensor Fire::forward(const Tensor& input) {
    const Tensor x = run_child(*this, "squeeze_activation", run_child(*this, "squeeze", input));
    return cat({run_child(*this, "expand1x1_activation", run_child(*this, "expand1x1", x)),
                run_child(*this, "expand3x3_activation", run_child(*this, "expand3x3", x))},
               1);
}

Tensor SqueezeNet::forward(const Tensor& input) {
    const Tensor x = run_child(*this, "features", input);
    return run_child(*this, "classifier", x).flatten(1);
}

std::shared_ptr<nn::Module> build_squeezenet(std::string_view version, std::int64_t num_classes) {
    std::vector<nn::ModulePtr> features;
    if (version == "1_0")
        features = {std::make_shared<nn::Conv2d>(3, 96, 7, 2),
                    relu(),
                    pool(),
                    fire(96, 16, 64, 64),
                    fire(128, 16, 64, 64),
                    fire(128, 32, 128, 128),
                    pool(),
                    fire(256, 32, 128, 128),
                    fire(256, 48, 192, 192),
                    fire(384, 48, 192, 192),
                    fire(384, 64, 256, 256),
                    pool(),
                    fire(512, 64, 256, 256)};
    else if (version == "1_1")
        features = {std::make_shared<nn::Conv2d>(3, 64, 3, 2),
                    relu(),
                    pool(),
                    fire(64, 16, 64, 64),
                    fire(128, 16, 64, 64),
                    pool(),
                    fire(128, 32, 128, 128),
                    fire(256, 32, 128, 128),
                    pool(),
                    fire(256, 48, 192, 192),
                    fire(384, 48, 192, 192),
                    fire(384, 64, 256, 256),
                    fire(512, 64, 256, 256)};
    else
        return nullptr;
    auto model = std::make_shared<SqueezeNet>(num_classes);
    model->register_module("features", std::make_shared<nn::Sequential>(features));
    auto final_conv = std::make_shared<nn::Conv2d>(512, num_classes, 1);
    model->register_module("classifier",
                           std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
                               std::make_shared<nn::Dropout>(0.5), final_conv, relu(),
                               std::make_shared<nn::AdaptiveAvgPool2d>(nn::Value::ints({1, 1}))}));
    // SqueezeNet.__init__: kaiming_uniform_ convolutions, normal_(0, 0.01) for the last, bias 0.
    for (nn::Module* m : model->modules())
        if (auto* c = dynamic_cast<nn::Conv2d*>(m)) {
            if (c == final_conv.get())
                nn::init::normal_(c->weight(), 0.0, 0.01);
            else
                nn::init::kaiming_uniform_(c->weight());
            nn::init::zeros_(c->bias());
        }
    return model;
}

} // namespace nnscope::vision
