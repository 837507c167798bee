#pragma once
// torch.optim.SGD (PyTorch 1.13, foreach=False): weight decay, momentum with dampening,
// Nesterov, maximize.

#include "engine/optim/optimizer.h"

#include <unordered_map>

namespace nnscope::optim {

struct SGDOptions {
    double lr = 0.0; // required by PyTorch; must be given
    double momentum = 0.0;
    double dampening = 0.0;
    double weight_decay = 0.0;
    bool nesterov = false;
    bool maximize = false;
};

class SGD final : public OptimizerWithGroups<SGDOptions> {
public:
    // Validates the options with PyTorch's messages ("Invalid learning rate: -1.0", ...).
    SGD(std::vector<Tensor> params, const SGDOptions& options);
    void step() override;
    // The momentum buffer of p, undefined before its first step with momentum.
    Tensor momentum_buffer(const Tensor& p) const;

private:
    std::unordered_map<const TensorImpl*, Tensor> momentum_buffers_;
};

void validate(const SGDOptions& options);

} // namespace nnscope::optim
