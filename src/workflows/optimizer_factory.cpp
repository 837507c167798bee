#include "workflows/optimizer_factory.h"

#include "data/config_error.h"
#include "engine/optim/adam.h"
#include "engine/optim/sgd.h"

#include <cmath>
#include <sstream>

namespace nnscope::workflows {

namespace {

std::string number_text(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

bool is_adam(const std::string& name) {
    return name == "adam" || name == "adamw";
}

void require_non_negative(double v, const char* field) {
    if (!(v >= 0) || !std::isfinite(v))
        throw data::ConfigError(field, "{" + std::string(field) + "} must not be negative, got " +
                                           number_text(v));
}

template <class F> void for_each_group_options(optim::Optimizer& optimizer, F f) {
    if (auto* sgd = dynamic_cast<optim::SGD*>(&optimizer)) {
        for (auto& g : sgd->param_groups())
            f(g.options.lr);
    } else if (auto* adam = dynamic_cast<optim::Adam*>(&optimizer)) {
        for (auto& g : adam->param_groups())
            f(g.options.lr);
    } else {
        throw std::invalid_argument("learning rate: an optimizer of an unknown kind");
    }
}

} // namespace

double default_learning_rate(const std::string& optimizer) {
    return optimizer == "sgd" ? 0.1 : 1e-3;
}

double default_weight_decay(const std::string& optimizer) {
    return optimizer == "adamw" ? 1e-2 : 0.0;
}

void validate(const OptimizerConfig& c) {
    using data::ConfigError;
    if (c.name != "sgd" && !is_adam(c.name))
        throw ConfigError("optimizer", "unknown {optimizer} '" + c.name + "' (sgd, adam or adamw)");
    if (!(c.lr > 0) || !std::isfinite(c.lr))
        throw ConfigError("lr", "{lr} must be a positive number, got " + number_text(c.lr));
    if (c.name != "sgd") {
        if (c.momentum != 0)
            throw ConfigError("momentum", "{momentum} applies to {optimizer} sgd only");
        if (c.dampening != 0)
            throw ConfigError("dampening", "{dampening} applies to {optimizer} sgd only");
        if (c.nesterov) throw ConfigError("nesterov", "{nesterov} applies to {optimizer} sgd only");
    }
    require_non_negative(c.momentum, "momentum");
    require_non_negative(c.dampening, "dampening");
    if (c.weight_decay) require_non_negative(*c.weight_decay, "weight_decay");
    // PyTorch's own: "Nesterov momentum requires a momentum and zero dampening".
    if (c.nesterov && (c.momentum <= 0 || c.dampening != 0))
        throw ConfigError("nesterov", "Nesterov momentum requires a momentum and zero dampening");
    if (is_adam(c.name)) {
        for (int i = 0; i < 2; ++i)
            if (!(c.betas[i] >= 0 && c.betas[i] < 1))
                throw ConfigError("betas", "Invalid beta parameter at index " + std::to_string(i) +
                                               ": " + number_text(c.betas[i]));
        if (!(c.eps >= 0) || !std::isfinite(c.eps))
            throw ConfigError("eps", "Invalid epsilon value: " + number_text(c.eps));
    } else if (c.amsgrad) {
        throw ConfigError("amsgrad", "{amsgrad} applies to {optimizer} adam and adamw only");
    }
}

std::unique_ptr<optim::Optimizer> make_optimizer(const OptimizerConfig& c, nn::Module& model) {
    validate(c);
    const double weight_decay = c.weight_decay.value_or(default_weight_decay(c.name));
    if (c.name == "sgd") {
        optim::SGDOptions o;
        o.lr = c.lr;
        o.momentum = c.momentum;
        o.dampening = c.dampening;
        o.nesterov = c.nesterov;
        o.weight_decay = weight_decay;
        return std::make_unique<optim::SGD>(model.parameters(), o);
    }
    optim::AdamOptions o;
    o.lr = c.lr;
    o.beta1 = c.betas[0];
    o.beta2 = c.betas[1];
    o.eps = c.eps;
    o.weight_decay = weight_decay;
    o.amsgrad = c.amsgrad;
    if (c.name == "adamw") return std::make_unique<optim::AdamW>(model.parameters(), o);
    return std::make_unique<optim::Adam>(model.parameters(), o);
}

double learning_rate(const optim::Optimizer& optimizer) {
    double lr = 0;
    for_each_group_options(const_cast<optim::Optimizer&>(optimizer), [&](double& v) { lr = v; });
    return lr;
}

void set_learning_rate(optim::Optimizer& optimizer, double lr) {
    if (!(lr > 0) || !std::isfinite(lr))
        throw data::ConfigError("lr", "{lr} must be a positive number, got " + number_text(lr));
    for_each_group_options(optimizer, [&](double& v) { v = lr; });
}

} // namespace nnscope::workflows
