#pragma once
// The optimizers a training run can use, by name, over a model's parameters.

#include "engine/nn/module.h"
#include "engine/optim/optimizer.h"

#include <memory>
#include <string>

namespace nnscope::workflows {

struct OptimizerConfig {
    std::string name = "sgd"; // "sgd" | "adam"
    double lr = 0.1;
    double momentum = 0; // sgd only

    bool operator==(const OptimizerConfig&) const = default;
};

// The default learning rate of an optimizer: 0.1 for sgd, 0.001 for adam (as the CLI's).
double default_learning_rate(const std::string& optimizer);

// data::ConfigError (fields "optimizer", "lr", "momentum") for an unknown name, a learning rate
// that is not positive and finite, a negative momentum or momentum with adam.
void validate(const OptimizerConfig& config);

// torch.optim.SGD(params, lr, momentum) or torch.optim.Adam(params, lr).
std::unique_ptr<optim::Optimizer> make_optimizer(const OptimizerConfig& config, nn::Module& model);

} // namespace nnscope::workflows
