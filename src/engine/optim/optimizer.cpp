#include "engine/optim/optimizer.h"

#include "engine/zero_grad.h"

#include <string>

namespace nnscope::optim {

void Optimizer::zero_grad(bool set_to_none) {
    zero_grads(parameters(), set_to_none);
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
