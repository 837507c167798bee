#include "vision/efficientnet.h"

#include "engine/nn/activation.h"
#include "engine/nn/adaptive_pool.h"
#include "engine/nn/container.h"
#include "engine/nn/conv.h"
#include "engine/nn/dropout.h"
#include "engine/nn/init.h"
#include "engine/nn/linear.h"
#include "engine/ops/elementwise.h"
#include "vision/mobilenet_v2.h"
#include "vision/ops_misc.h"
#include "vision/pooled_classifier.h"
#include "vision/vision_module.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace nnscope::vision {

namespace {

struct Variant {
    double width_mult, depth_mult, dropout;
    bool small_momentum; // b5..b7: BatchNorm2d(eps=1e-3, momentum=0.01)
};

const std::map<std::string, Variant, std::less<>>& variants() {
    static const std::map<std::string, Variant, std::less<>> table = {
        {"b0", {1.0, 1.0, 0.2, false}}, {"b1", {1.0, 1.1, 0.2, false}},
        {"b2", {1.1, 1.2, 0.3, false}}, {"b3", {1.2, 1.4, 0.3, false}},
        {"b4", {1.4, 1.8, 0.4, false}}, {"b5", {1.6, 2.2, 0.4, true}},
        {"b6", {1.8, 2.6, 0.5, true}},  {"b7", {2.0, 3.1, 0.5, true}},
    };
    return table;
}

// MBConvConfig after width and depth scaling.
struct StageConfig {
    double expand_ratio;
    std::int64_t kernel, stride, input_channels, out_channels, num_layers;
};

nn::ModulePtr mbconv(const StageConfig& cnf, double stochastic_depth_prob,
                     const NormFactory& norm) {
    auto block = std::make_shared<MBConv>(cnf.stride == 1 && cnf.input_channels == cnf.out_channels,
                                          cnf.out_channels);
    auto layers = std::make_shared<nn::Sequential>();
    const std::int64_t expanded =
        make_divisible(static_cast<double>(cnf.input_channels) * cnf.expand_ratio, 8);
    ConvNormActivationOptions options;
    options.norm = norm;
    options.activation = silu_inplace;
    if (expanded != cnf.input_channels) {
        options.kernel_size = 1;
        layers->append(conv_norm_activation(cnf.input_channels, expanded, options));
    }
    options.kernel_size = cnf.kernel;
    options.stride = cnf.stride;
    options.groups = expanded;
    layers->append(conv_norm_activation(expanded, expanded, options));
    layers->append(squeeze_excitation(expanded, std::max<std::int64_t>(1, cnf.input_channels / 4),
                                      silu_inplace,
                                      [] { return std::make_shared<nn::Sigmoid>(); }));
    ConvNormActivationOptions project;
    project.kernel_size = 1;
    project.norm = norm;
    project.activation = nullptr;
    layers->append(conv_norm_activation(expanded, cnf.out_channels, project));
    block->register_module("block", layers);
    block->register_module("stochastic_depth",
                           std::make_shared<StochasticDepth>(stochastic_depth_prob, "row"));
    return block;
}

void init_efficientnet(nn::Module& model) {
    for (nn::Module* m : model.modules()) {
        if (auto* c = dynamic_cast<nn::Conv2d*>(m)) {
            nn::init::kaiming_normal_(c->weight(), 0.0, "fan_out");
            if (c->bias().defined()) nn::init::zeros_(c->bias());
        } else if (auto* l = dynamic_cast<nn::Linear*>(m)) {
            const double range =
                1.0 / std::sqrt(static_cast<double>(l->parameter("weight").shape()[0]));
            nn::init::uniform_(l->parameter("weight"), -range, range);
            nn::init::zeros_(l->parameter("bias"));
        }
    }
}

} // namespace

Tensor MBConv::forward(const Tensor& input) {
    Tensor result = run_child(*this, "block", input);
    if (use_res_connect_) result = add(run_child(*this, "stochastic_depth", result), input);
    return result;
}

std::shared_ptr<nn::Module> build_efficientnet(std::string_view variant, std::int64_t num_classes) {
    const auto found = variants().find(variant);
    if (found == variants().end()) return nullptr;
    const Variant& v = found->second;
    const NormFactory norm = v.small_momentum ? batch_norm(1e-3, 0.01) : batch_norm();
    // expand_ratio, kernel, stride, input_channels, out_channels, num_layers (before scaling)
    static const StageConfig base[7] = {
        {1, 3, 1, 32, 16, 1},  {6, 3, 2, 16, 24, 2},   {6, 5, 2, 24, 40, 2},  {6, 3, 2, 40, 80, 3},
        {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4}, {6, 3, 1, 192, 320, 1}};
    std::vector<StageConfig> stages;
    std::int64_t total_blocks = 0;
    for (StageConfig s : base) {
        s.input_channels = make_divisible(static_cast<double>(s.input_channels) * v.width_mult, 8);
        s.out_channels = make_divisible(static_cast<double>(s.out_channels) * v.width_mult, 8);
        s.num_layers =
            static_cast<std::int64_t>(std::ceil(static_cast<double>(s.num_layers) * v.depth_mult));
        total_blocks += s.num_layers;
        stages.push_back(s);
    }
    auto features = std::make_shared<nn::Sequential>();
    ConvNormActivationOptions stem;
    stem.stride = 2;
    stem.norm = norm;
    stem.activation = silu_inplace;
    features->append(conv_norm_activation(3, stages.front().input_channels, stem));
    std::int64_t block_id = 0;
    for (const StageConfig& stage : stages) {
        auto sequence = std::make_shared<nn::Sequential>();
        for (std::int64_t i = 0; i < stage.num_layers; ++i) {
            StageConfig cnf = stage;
            if (i > 0) {
                cnf.input_channels = cnf.out_channels;
                cnf.stride = 1;
            }
            const double sd_prob =
                0.2 * static_cast<double>(block_id) / static_cast<double>(total_blocks);
            sequence->append(mbconv(cnf, sd_prob, norm));
            ++block_id;
        }
        features->append(sequence);
    }
    const std::int64_t last_in = stages.back().out_channels;
    const std::int64_t last_out = 4 * last_in;
    ConvNormActivationOptions head;
    head.kernel_size = 1;
    head.norm = norm;
    head.activation = silu_inplace;
    features->append(conv_norm_activation(last_in, last_out, head));
    auto model = std::make_shared<PooledClassifier>("EfficientNet");
    model->register_module("features", features);
    model->register_module("avgpool", std::make_shared<nn::AdaptiveAvgPool2d>(1));
    model->register_module("classifier",
                           std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
                               std::make_shared<nn::Dropout>(v.dropout, true),
                               std::make_shared<nn::Linear>(last_out, num_classes)}));
    init_efficientnet(*model);
    return model;
}

} // namespace nnscope::vision
