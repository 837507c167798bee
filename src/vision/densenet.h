#pragma once
// torchvision.models.densenet: _DenseLayer, _DenseBlock, _Transition and DenseNet
// (densenet121, densenet161, densenet169, densenet201).

#include "engine/nn/container.h"

#include <limits>
#include <string_view>

namespace nnscope::vision {

// conv2(relu2(norm2(conv1(relu1(norm1(cat(inputs, 1))))))), then dropout(drop_rate). Takes the
// block's features so far as its inputs (one tensor or several), as torchvision's layer takes a
// list, so hooks see what torchvision's hooks see.
class DenseLayer final : public nn::Module {
public:
    explicit DenseLayer(double drop_rate = 0.0, bool memory_efficient = false)
        : nn::Module("_DenseLayer")
        , drop_rate_(drop_rate)
        , memory_efficient_(memory_efficient) {}
    Tensor forward(const Tensor& x) override { return forward_inputs({x}); }
    std::size_t max_inputs() const override { return std::numeric_limits<std::size_t>::max(); }
    nn::Arguments arguments() const override {
        return {{"drop_rate", drop_rate_}, {"memory_efficient", memory_efficient_}};
    }

protected:
    Tensor forward_inputs(const std::vector<Tensor>& inputs) override;

private:
    double drop_rate_;
    bool memory_efficient_; // checkpointing saves memory in PyTorch; the values are the same
};

// Each layer gets every feature map so far; the result is all of them concatenated.
class DenseBlock final : public nn::Module {
public:
    DenseBlock()
        : nn::Module("_DenseBlock") {}
    Tensor forward(const Tensor& x) override;
};

// norm, relu, conv, pool, in order.
class DenseTransition final : public nn::Sequential {
public:
    DenseTransition()
        : nn::Sequential("_Transition") {}
};

// features, relu, adaptive_avg_pool2d(1, 1), flatten, classifier.
class DenseNet final : public nn::Module {
public:
    DenseNet()
        : nn::Module("DenseNet") {}
    Tensor forward(const Tensor& x) override;
};

// "densenet121", ...; nullptr for another name.
std::shared_ptr<nn::Module> build_densenet(std::string_view name, std::int64_t num_classes);
std::vector<std::string> densenet_names();

} // namespace nnscope::vision
