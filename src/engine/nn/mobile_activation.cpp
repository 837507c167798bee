#include "engine/nn/mobile_activation.h"

#include "engine/ops/mobile_activation.h"

namespace nnscope::nn {

Tensor MobileActivation::forward(const Tensor& input) {
    return function_(input);
}

std::string MobileActivation::extra_repr() const {
    return repr_inplace_ && inplace_ ? "inplace=True" : "";
}

ReLU6::ReLU6(bool inplace)
    : MobileActivation("ReLU6", &relu6, inplace, true) {}
Hardsigmoid::Hardsigmoid(bool inplace)
    : MobileActivation("Hardsigmoid", &hardsigmoid, inplace, false) {}
Hardswish::Hardswish(bool inplace)
    : MobileActivation("Hardswish", &hardswish, inplace, false) {}
SiLU::SiLU(bool inplace)
    : MobileActivation("SiLU", &silu, inplace, true) {}

} // namespace nnscope::nn
