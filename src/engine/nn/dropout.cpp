#include "engine/nn/dropout.h"

#include "engine/generator.h"
#include "engine/ops/norm.h"

#include <stdexcept>

namespace nnscope::nn {

Dropout::Dropout(double p, bool inplace)
    : Module("Dropout")
    , p_(p)
    , inplace_(inplace) {
    if (p < 0 || p > 1)
        throw std::invalid_argument("dropout probability has to be between 0 and 1, but got " +
                                    python_float_repr(p));
}

Tensor Dropout::forward(const Tensor& input) {
    return dropout(input, p_, is_training(), generator_ ? *generator_ : default_generator());
}

std::string Dropout::extra_repr() const {
    return "p=" + python_float_repr(p_) + ", inplace=" + (inplace_ ? "True" : "False");
}

} // namespace nnscope::nn
