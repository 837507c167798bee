#include "engine/nn/linear.h"

#include "engine/nn/init.h"
#include "engine/ops/linalg.h"

#include <cmath>

namespace nnscope::nn {

void reset_weight_and_bias(const Tensor& weight, const Tensor& bias) {
    init::kaiming_uniform_(weight, std::sqrt(5.0));
    if (!bias.defined()) return;
    const auto [fan_in, fan_out] = init::calculate_fan_in_and_fan_out(weight);
    if (fan_in != 0) {
        const double bound = 1 / std::sqrt(static_cast<double>(fan_in));
        init::uniform_(bias, -bound, bound);
    }
}

Linear::Linear(std::int64_t in_features, std::int64_t out_features, bool bias)
    : Module("Linear")
    , in_features_(in_features)
    , out_features_(out_features)
    , has_bias_(bias) {
    register_parameter("weight", Tensor::empty({out_features, in_features}));
    register_parameter("bias", bias ? Tensor::empty({out_features}) : Tensor());
    reset_parameters();
}

Linear::Linear(std::string type_name, std::int64_t out_features, bool bias)
    : Module(std::move(type_name))
    , out_features_(out_features)
    , has_bias_(bias) {
    register_parameter("weight", Tensor());
    register_parameter("bias", Tensor());
}

Tensor Linear::forward(const Tensor& input) {
    return linear(input, weight(), bias());
}

void Linear::reset_parameters() {
    reset_weight_and_bias(weight(), bias());
}

Arguments Linear::arguments() const {
    return {{"in_features", in_features_}, {"out_features", out_features_}, {"bias", has_bias_}};
}

std::string Linear::extra_repr() const {
    return "in_features=" + std::to_string(in_features_) +
           ", out_features=" + std::to_string(out_features_) + ", bias=" +
           (bias().defined() || (has_uninitialized_params() && has_bias_) ? "True" : "False");
}

LazyLinear::LazyLinear(std::int64_t out_features, bool bias)
    : Linear("LazyLinear", out_features, bias) {
    // PyTorch infers the shapes in a forward pre-hook registered at construction, so user
    // pre-hooks registered later already see initialised parameters.
    infer_hook_ = register_forward_pre_hook(
        [](Module& module, const std::vector<Tensor>& inputs) -> std::vector<Tensor> {
            auto& self = static_cast<LazyLinear&>(module);
            if (!self.initialized_) self.initialize(inputs.at(0).size(-1));
            return {};
        });
    // Loading a checkpoint materialises the parameters with its shapes (_lazy_load_hook).
    register_load_state_dict_pre_hook([](Module& module, StateDict& state_dict,
                                         const std::string& prefix, IncompatibleKeys&,
                                         std::vector<std::string>&) {
        auto& self = static_cast<LazyLinear&>(module);
        if (self.initialized_) return;
        if (const Tensor* w = state_dict.find(prefix + "weight"); w && w->dim() == 2)
            self.initialize(w->size(1));
    });
}

void LazyLinear::initialize(std::int64_t in_features) {
    if (initialized_) return;
    in_features_ = in_features;
    register_parameter("weight", Tensor::empty({out_features_, in_features}));
    register_parameter("bias", has_bias_ ? Tensor::empty({out_features_}) : Tensor());
    reset_parameters();
    initialized_ = true;
    infer_hook_.remove();
    set_type_name("Linear");
}

Arguments LazyLinear::arguments() const {
    if (initialized_) return Linear::arguments();
    return {{"out_features", out_features_}, {"bias", has_bias_}};
}

} // namespace nnscope::nn
