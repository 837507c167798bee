#pragma once
// The sink of a leaf that requires grad: runs the leaf's hooks and adds into its .grad.

#include "engine/autograd/node.h"

namespace nnscope::autograd {

class AccumulateGrad final : public Node {
public:
    explicit AccumulateGrad(std::shared_ptr<TensorImpl> variable);
    TensorList apply(TensorList&& grads) override;
    std::string name() const override { return "AccumulateGrad"; }
    const std::shared_ptr<TensorImpl>& variable() const { return variable_; }

private:
    std::shared_ptr<TensorImpl> variable_;
};

// The leaf's accumulator, created on first use and shared while anyone holds it.
std::shared_ptr<Node> grad_accumulator(const Tensor& leaf);

} // namespace nnscope::autograd
