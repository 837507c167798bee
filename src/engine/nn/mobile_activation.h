#pragma once
// The activation modules of mobile networks: nn.ReLU6, nn.Hardsigmoid, nn.Hardswish, nn.SiLU
// (engine/ops/mobile_activation.h has the formulas). inplace is kept for repr and the model
// file; the result is computed out of place, which gives the same values and gradients.

#include "engine/nn/module.h"

namespace nnscope::nn {

// The four share everything but their function and how PyTorch prints them.
class MobileActivation : public Module {
public:
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override { return {{"inplace", inplace_}}; }
    std::string extra_repr() const override;
    bool inplace() const { return inplace_; }

protected:
    using Function = Tensor (*)(const Tensor&);
    // repr_inplace: whether PyTorch's extra_repr shows "inplace=True" (ReLU6, SiLU) or nothing
    // at all (Hardsigmoid, Hardswish).
    MobileActivation(std::string type_name, Function function, bool inplace, bool repr_inplace)
        : Module(std::move(type_name))
        , function_(function)
        , inplace_(inplace)
        , repr_inplace_(repr_inplace) {}

private:
    Function function_;
    bool inplace_;
    bool repr_inplace_;
};

class ReLU6 final : public MobileActivation {
public:
    explicit ReLU6(bool inplace = false);
};

class Hardsigmoid final : public MobileActivation {
public:
    explicit Hardsigmoid(bool inplace = false);
};

class Hardswish final : public MobileActivation {
public:
    explicit Hardswish(bool inplace = false);
};

class SiLU final : public MobileActivation {
public:
    explicit SiLU(bool inplace = false);
};

} // namespace nnscope::nn
