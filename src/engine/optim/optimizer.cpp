#include "engine/optim/optimizer.h"

#include <string>

namespace nnscope::optim {

void Optimizer::zero_grad(bool set_to_none) {
    for (Tensor& p : parameters()) {
        Tensor grad = p.grad();
        if (!grad.defined()) continue;
        if (set_to_none)
            p.set_grad(Tensor());
        else
            grad.zero_();
    }
}

Tensor contiguous_grad(const Tensor& p, const char* optimizer) {
    Tensor grad = p.grad();
    if (!grad.defined()) return grad;
    if (grad.shape() != p.shape())
        throw std::invalid_argument(
            std::string(optimizer) + ": gradient of shape " + shape_to_string(grad.shape()) +
            " does not match its parameter of shape " + shape_to_string(p.shape()));
    if (grad.dtype() != p.dtype()) grad = grad.to(p.dtype());
    return grad.contiguous();
}

} // namespace nnscope::optim
