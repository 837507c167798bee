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

} // namespace

double default_learning_rate(const std::string& optimizer) {
    return optimizer == "sgd" ? 0.1 : 1e-3;
}

void validate(const OptimizerConfig& c) {
    using data::ConfigError;
    if (c.name != "sgd" && c.name != "adam")
        throw ConfigError("optimizer", "unknown {optimizer} '" + c.name + "' (sgd or adam)");
    if (!(c.lr > 0) || !std::isfinite(c.lr))
        throw ConfigError("lr", "{lr} must be a positive number, got " + number_text(c.lr));
    if (c.momentum != 0 && c.name != "sgd")
        throw ConfigError("momentum", "{momentum} applies to {optimizer} sgd only");
    if (!(c.momentum >= 0) || !std::isfinite(c.momentum))
        throw ConfigError("momentum",
                          "{momentum} must not be negative, got " + number_text(c.momentum));
}

std::unique_ptr<optim::Optimizer> make_optimizer(const OptimizerConfig& c, nn::Module& model) {
    validate(c);
    if (c.name == "sgd") {
        optim::SGDOptions o;
        o.lr = c.lr;
        o.momentum = c.momentum;
        return std::make_unique<optim::SGD>(model.parameters(), o);
    }
    optim::AdamOptions o;
    o.lr = c.lr;
    return std::make_unique<optim::Adam>(model.parameters(), o);
}

} // namespace nnscope::workflows
