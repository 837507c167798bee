#include "workflows/train_loss.h"

#include "engine/nn/value.h"
#include "engine/ops/loss.h"

namespace nnscope::workflows {

Tensor compute_loss(const LossConfig& c, const Tensor& logits, const Tensor& labels) {
    if (c.name == "nll") return nll_loss(logits, labels);
    if (c.name == "cross_entropy")
        return cross_entropy(logits, labels, Tensor(), -100, "mean", c.label_smoothing);
    validate(c);
    return {};
}

std::string loss_call(const LossConfig& c) {
    if (c.name == "nll") return "nn.NLLLoss()";
    if (c.label_smoothing == 0) return "nn.CrossEntropyLoss()";
    return "nn.CrossEntropyLoss(label_smoothing=" + nn::python_float_repr(c.label_smoothing) + ")";
}

} // namespace nnscope::workflows
