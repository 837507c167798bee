#include "vision/shufflenet.h"

#include "engine/nn/activation.h"
#include "engine/nn/batchnorm.h"
#include "engine/nn/container.h"
#include "engine/nn/conv.h"
#include "engine/nn/linear.h"
#include "engine/nn/pooling.h"
#include "engine/ops/reduce.h"
#include "engine/ops/shape.h"
#include "vision/vision_module.h"

#include <array>
#include <map>
#include <stdexcept>

namespace nnscope::vision {

namespace {

nn::ModulePtr conv(std::int64_t in, std::int64_t out, std::int64_t kernel, std::int64_t stride,
                   std::int64_t padding, std::int64_t groups = 1) {
    return std::make_shared<nn::Conv2d>(in, out, kernel, stride, padding, 1, groups, false);
}

nn::ModulePtr bn(std::int64_t channels) {
    return std::make_shared<nn::BatchNorm2d>(channels);
}

nn::ModulePtr relu() {
    return std::make_shared<nn::ReLU>(true);
}

nn::ModulePtr inverted_residual(std::int64_t inp, std::int64_t oup, std::int64_t stride) {
    const std::int64_t branch = oup / 2;
    auto block = std::make_shared<ShuffleInvertedResidual>(stride);
    auto branch1 = std::make_shared<nn::Sequential>();
    if (stride > 1)
        for (auto m : {conv(inp, inp, 3, stride, 1, inp), bn(inp), conv(inp, branch, 1, 1, 0),
                       bn(branch), relu()})
            branch1->append(m);
    block->register_module("branch1", branch1);
    block->register_module("branch2",
                           std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
                               conv(stride > 1 ? inp : branch, branch, 1, 1, 0), bn(branch), relu(),
                               conv(branch, branch, 3, stride, 1, branch), bn(branch),
                               conv(branch, branch, 1, 1, 0), bn(branch), relu()}));
    return block;
}

const std::map<std::string, std::array<std::int64_t, 5>, std::less<>>& stage_channels() {
    static const std::map<std::string, std::array<std::int64_t, 5>, std::less<>> table = {
        {"x0_5", {24, 48, 96, 192, 1024}},
        {"x1_0", {24, 116, 232, 464, 1024}},
        {"x1_5", {24, 176, 352, 704, 1024}},
        {"x2_0", {24, 244, 488, 976, 2048}},
    };
    return table;
}

} // namespace

Tensor channel_shuffle(const Tensor& x, std::int64_t groups) {
    if (x.dim() != 4 || x.shape()[1] % groups != 0)
        throw std::invalid_argument("channel_shuffle: expected [N, C, H, W] with C divisible by " +
                                    std::to_string(groups) + ", got " + shape_to_string(x.shape()));
    const auto& s = x.shape();
    return x.view({s[0], groups, s[1] / groups, s[2], s[3]})
        .transpose(1, 2)
        .contiguous()
        .view({s[0], s[1], s[2], s[3]});
}

Tensor ShuffleInvertedResidual::forward(const Tensor& x) {
    Tensor out;
    if (stride_ == 1) {
        const std::int64_t half = (x.shape()[1] + 1) / 2; // torch.chunk(2): the first is larger
        out = cat({x.narrow(1, 0, half),
                   run_child(*this, "branch2", x.narrow(1, half, x.shape()[1] - half))},
                  1);
    } else {
        out = cat({run_child(*this, "branch1", x), run_child(*this, "branch2", x)}, 1);
    }
    return channel_shuffle(out, 2);
}

Tensor ShuffleNetV2::forward(const Tensor& input) {
    Tensor x = input;
    for (const char* name : {"conv1", "maxpool", "stage2", "stage3", "stage4", "conv5"})
        x = run_child(*this, name, x);
    return run_child(*this, "fc", mean(x, {2, 3}));
}

std::shared_ptr<nn::Module> build_shufflenet_v2(std::string_view width, std::int64_t num_classes) {
    const auto found = stage_channels().find(width);
    if (found == stage_channels().end()) return nullptr;
    const auto& channels = found->second;
    const std::int64_t repeats[3] = {4, 8, 4};
    auto model = std::make_shared<ShuffleNetV2>();
    model->register_module("conv1", std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
                                        conv(3, channels[0], 3, 2, 1), bn(channels[0]), relu()}));
    model->register_module("maxpool", std::make_shared<nn::MaxPool2d>(3, 2, 1));
    std::int64_t input_channels = channels[0];
    for (std::size_t s = 0; s < 3; ++s) {
        const std::int64_t out = channels[s + 1];
        auto stage = std::make_shared<nn::Sequential>();
        stage->append(inverted_residual(input_channels, out, 2));
        for (std::int64_t i = 1; i < repeats[s]; ++i)
            stage->append(inverted_residual(out, out, 1));
        model->register_module("stage" + std::to_string(s + 2), stage);
        input_channels = out;
    }
    model->register_module(
        "conv5", std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
                     conv(input_channels, channels[4], 1, 1, 0), bn(channels[4]), relu()}));
    model->register_module("fc", std::make_shared<nn::Linear>(channels[4], num_classes));
    return model;
}

} // namespace nnscope::vision
