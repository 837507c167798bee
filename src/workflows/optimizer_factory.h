#pragma once
// The optimizers a training run can use, by name, over a model's parameters.

#include "engine/nn/module.h"
#include "engine/optim/optimizer.h"

#include <array>
#include <memory>
#include <optional>
#include <string>

namespace nnscope::workflows {

struct OptimizerConfig {
    std::string name = "sgd"; // "sgd" | "adam" | "adamw"
    double lr = 0.1;
    double momentum = 0;   // sgd only
    double dampening = 0;  // sgd only
    bool nesterov = false; // sgd only (needs momentum > 0 and dampening 0, as PyTorch)
    // sgd and adam: 0 by default; adamw: PyTorch's 1e-2 unless given (see default_weight_decay).
    std::optional<double> weight_decay;
    std::array<double, 2> betas{0.9, 0.999}; // adam, adamw
    double eps = 1e-8;                       // adam, adamw
    bool amsgrad = false;                    // adam, adamw
    bool operator==(const OptimizerConfig&) const = default;
};

// The default learning rate of an optimizer: 0.1 for sgd, 0.001 for adam and adamw (as the CLI's).
double default_learning_rate(const std::string& optimizer);
// 1e-2 for adamw, 0 for the others.
double default_weight_decay(const std::string& optimizer);

// data::ConfigError (fields "optimizer", "lr", "momentum", ...) for an unknown name, a learning
// rate that is not positive and finite, a negative momentum, an argument the optimizer does not
// take, or PyTorch's own refusals (nesterov without momentum, betas outside [0, 1)).
void validate(const OptimizerConfig& config);

// torch.optim.SGD / Adam / AdamW(params, ...) with the configured arguments.
std::unique_ptr<optim::Optimizer> make_optimizer(const OptimizerConfig& config, nn::Module& model);

// The learning rate of every parameter group (what a user changes while training runs).
double learning_rate(const optim::Optimizer& optimizer);
void set_learning_rate(optim::Optimizer& optimizer, double lr);

} // namespace nnscope::workflows
