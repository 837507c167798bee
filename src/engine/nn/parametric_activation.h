#pragma once
// nn.LeakyReLU, nn.ELU and nn.Softplus (engine/ops/parametric_activation.h has the formulas).
// inplace is kept for repr and the model file; the result is computed out of place, which gives
// the same values and gradients. The constants are kept as given (Softplus's defaults are the
// ints 1 and 20, which PyTorch's repr prints as such).

#include "engine/nn/module.h"

namespace nnscope::nn {

class LeakyReLU final : public Module {
public:
    explicit LeakyReLU(double negative_slope = 0.01, bool inplace = false);
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;

private:
    double negative_slope_;
    bool inplace_;
};

class ELU final : public Module {
public:
    explicit ELU(double alpha = 1.0, bool inplace = false);
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;

private:
    double alpha_;
    bool inplace_;
};

class Softplus final : public Module {
public:
    // beta and threshold: ints or floats, as PyTorch takes them.
    explicit Softplus(Value beta = Value(1), Value threshold = Value(20));
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;

private:
    Value beta_;
    Value threshold_;
};

} // namespace nnscope::nn
