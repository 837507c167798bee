#pragma once
// nn.LayerNorm over the trailing normalized_shape dims, with elementwise weight (ones) and bias
// (zeros) when elementwise_affine.

#include "engine/nn/module.h"

namespace nnscope::nn {

class LayerNorm final : public Module {
public:
    explicit LayerNorm(Shape normalized_shape, double eps = 1e-5, bool elementwise_affine = true);
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;
    void reset_parameters();

private:
    Shape normalized_shape_;
    double eps_;
    bool elementwise_affine_;
};

} // namespace nnscope::nn
