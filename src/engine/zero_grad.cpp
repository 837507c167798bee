#include "engine/zero_grad.h"

namespace nnscope {

void zero_grads(const std::vector<Tensor>& params, bool set_to_none) {
    for (const Tensor& p : params) {
        Tensor grad = p.grad();
        if (!grad.defined()) continue;
        if (set_to_none) {
            Tensor(p).set_grad(Tensor());
            continue;
        }
        // PyTorch detaches in place (grad.detach_()); a gradient with a history is replaced by
        // its detached alias instead, which shares the storage that is zeroed below.
        if (!grad.is_leaf()) {
            grad = grad.detach();
            Tensor(p).set_grad(grad);
        } else if (grad.requires_grad()) {
            grad.requires_grad_(false);
        }
        grad.zero_();
    }
}

} // namespace nnscope
