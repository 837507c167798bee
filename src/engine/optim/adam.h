#pragma once
// torch.optim.Adam and torch.optim.AdamW (PyTorch 1.13, foreach=False): bias-corrected moments,
// amsgrad, maximize; Adam adds weight decay to the gradient, AdamW decays the weights directly.

#include "engine/optim/optimizer.h"

#include <unordered_map>

namespace nnscope::optim {

struct AdamOptions {
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    double eps = 1e-8;
    double weight_decay = 0.0; // AdamW's default is 1e-2: use AdamW::default_options()
    bool amsgrad = false;
    bool maximize = false;
};

// The state PyTorch keeps per parameter ("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq").
struct AdamState {
    double step = 0;
    Tensor exp_avg;
    Tensor exp_avg_sq;
    Tensor max_exp_avg_sq; // amsgrad only
};

class Adam : public OptimizerWithGroups<AdamOptions> {
public:
    Adam(std::vector<Tensor> params, const AdamOptions& options = {});
    void step() override;
    // nullptr before the parameter's first step.
    const AdamState* state(const Tensor& p) const;

protected:
    Adam(std::vector<Tensor> params, const AdamOptions& options, bool decoupled_weight_decay);

private:
    bool decoupled_weight_decay_;
    std::unordered_map<const TensorImpl*, AdamState> state_;
};

class AdamW final : public Adam {
public:
    static AdamOptions default_options() {
        AdamOptions o;
        o.weight_decay = 1e-2;
        return o;
    }
    explicit AdamW(std::vector<Tensor> params, const AdamOptions& options = default_options())
        : Adam(std::move(params), options, true) {}
};

void validate(const AdamOptions& options);

} // namespace nnscope::optim
