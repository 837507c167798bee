#include "engine/nn/layernorm.h"

#include "engine/nn/init.h"
#include "engine/ops/norm.h"

namespace nnscope::nn {

LayerNorm::LayerNorm(Shape normalized_shape, double eps, bool elementwise_affine)
    : Module("LayerNorm")
    , normalized_shape_(std::move(normalized_shape))
    , eps_(eps)
    , elementwise_affine_(elementwise_affine) {
    register_parameter("weight", elementwise_affine ? Tensor::empty(normalized_shape_) : Tensor());
    register_parameter("bias", elementwise_affine ? Tensor::empty(normalized_shape_) : Tensor());
    reset_parameters();
}

void LayerNorm::reset_parameters() {
    if (!elementwise_affine_) return;
    init::ones_(parameter("weight"));
    init::zeros_(parameter("bias"));
}

Tensor LayerNorm::forward(const Tensor& input) {
    return layer_norm(input, normalized_shape_, parameter("weight"), parameter("bias"), eps_);
}

Arguments LayerNorm::arguments() const {
    return {{"normalized_shape", Value::ints(normalized_shape_)},
            {"eps", eps_},
            {"elementwise_affine", elementwise_affine_}};
}

std::string LayerNorm::extra_repr() const {
    return Value::ints(normalized_shape_).repr() + ", eps=" + python_float_repr(eps_) +
           ", elementwise_affine=" + (elementwise_affine_ ? "True" : "False");
}

} // namespace nnscope::nn
