#pragma once
// nn.Linear, nn.LazyLinear and nn.Identity.

#include "engine/nn/module.h"

namespace nnscope::nn {

// Linear and Conv2d's reset_parameters: kaiming_uniform_(a=sqrt(5)) on the weight, then the
// bias uniform in ±1/sqrt(fan_in), both from the default generator.
void reset_weight_and_bias(const Tensor& weight, const Tensor& bias);

class Linear : public Module {
public:
    Linear(std::int64_t in_features, std::int64_t out_features, bool bias = true);
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;
    void reset_parameters();

    std::int64_t in_features() const { return in_features_; }
    std::int64_t out_features() const { return out_features_; }
    Tensor weight() const { return parameter("weight"); }
    Tensor bias() const { return parameter("bias"); } // undefined when bias=false

protected:
    // LazyLinear: parameters stay None until the first input gives in_features.
    Linear(std::string type_name, std::int64_t out_features, bool bias);
    std::int64_t in_features_ = 0;
    std::int64_t out_features_ = 0;
    bool has_bias_ = true;
};

// Takes in_features from the last dim of its first input (or from a loaded state_dict), then
// initialises exactly as Linear at that moment and becomes a "Linear", as PyTorch's
// cls_to_become. Until then weight and bias are undefined and has_uninitialized_params() holds.
class LazyLinear final : public Linear {
public:
    explicit LazyLinear(std::int64_t out_features, bool bias = true);
    Arguments arguments() const override;
    bool has_uninitialized_params() const override { return !initialized_; }
    void initialize(std::int64_t in_features);

private:
    bool initialized_ = false;
    HookHandle infer_hook_;
};

class Identity final : public Module {
public:
    Identity()
        : Module("Identity") {}
    Tensor forward(const Tensor& input) override { return input; }
};

} // namespace nnscope::nn
