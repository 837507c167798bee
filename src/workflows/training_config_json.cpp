#include "workflows/training_config_json.h"

#include "data/json_object_reader.h"
#include "data/loader_config_json.h"
#include "io/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace nnscope::workflows {

namespace {

using Json = nlohmann::json;
using OJson = nlohmann::ordered_json;
using data::json_reader::bad;
using data::json_reader::ObjectReader;

// The loader object over the training defaults: a key not given keeps the training run's default
// (Fashion-MNIST, batch_size 64, shuffle), not the DataLoader's.
data::DataLoaderConfig loader_from_json(const Json& given) {
    if (!given.is_object()) bad("loader", "an object (a DataLoader configuration)", given);
    const auto chosen = [&](const char* key) {
        const auto it = given.find(key);
        return it != given.end() && !it->is_null() && *it != "default";
    };
    const data::DataLoaderConfig defaults =
        training_loader_defaults(chosen("sampler"), chosen("batch_sampler"));
    Json merged = data::loader_config_to_json(defaults);
    merged.update(given);
    try {
        return data::loader_config_from_json(merged);
    } catch (const data::ConfigError& e) {
        // The field as the file spells it.
        throw data::ConfigError("loader." + e.field(), data::ConfigError::literal(e.what()),
                                e.kind());
    }
}

OptimizerConfig optimizer_from_json(const Json& j) {
    ObjectReader r(j, "optimizer.", "the optimizer's name and arguments");
    OptimizerConfig c;
    r.read("name", c.name);
    c.lr = default_learning_rate(c.name);
    r.read("lr", c.lr);
    r.read("momentum", c.momentum);
    r.read("dampening", c.dampening);
    r.read("nesterov", c.nesterov);
    r.read("weight_decay", c.weight_decay);
    if (const Json* betas = r.find("betas")) {
        std::vector<double> values;
        ObjectReader::convert(r.field("betas"), *betas, values);
        if (values.size() != 2) bad(r.field("betas"), "[beta1, beta2]", *betas);
        c.betas = {values[0], values[1]};
    }
    r.read("eps", c.eps);
    r.read("amsgrad", c.amsgrad);
    r.finish();
    return c;
}

} // namespace

nlohmann::ordered_json training_config_to_json(const TrainingConfig& c) {
    const OptimizerConfig& o = c.optimizer;
    return OJson{{"model", c.model},
                 {"loader", data::loader_config_to_json(c.loader)},
                 {"loss", {{"name", c.loss.name}, {"label_smoothing", c.loss.label_smoothing}}},
                 {"optimizer",
                  {{"name", o.name},
                   {"lr", o.lr},
                   {"momentum", o.momentum},
                   {"dampening", o.dampening},
                   {"nesterov", o.nesterov},
                   {"weight_decay", o.weight_decay ? OJson(*o.weight_decay) : OJson()},
                   {"betas", {o.betas[0], o.betas[1]}},
                   {"eps", o.eps},
                   {"amsgrad", o.amsgrad}}},
                 {"init", {{"scheme", c.init.scheme}, {"std", c.init.std}}},
                 {"seed", c.seed},
                 {"eval_every", c.eval_every},
                 {"eval_limit", c.eval_limit ? OJson(*c.eval_limit) : OJson()}};
}

TrainingConfig training_config_from_json(const nlohmann::json& j) {
    ObjectReader r(j, "", "a training configuration");
    TrainingConfig c;
    r.read("model", c.model);
    if (const Json* loader = r.find("loader")) c.loader = loader_from_json(*loader);
    if (const Json* loss = r.find("loss")) {
        ObjectReader lr(*loss, "loss.", "the loss's name and label_smoothing");
        lr.read("name", c.loss.name);
        lr.read("label_smoothing", c.loss.label_smoothing);
        lr.finish();
    }
    if (const Json* optimizer = r.find("optimizer")) c.optimizer = optimizer_from_json(*optimizer);
    if (const Json* init = r.find("init")) {
        ObjectReader ir(*init, "init.", "the init's scheme and std");
        ir.read("scheme", c.init.scheme);
        ir.read("std", c.init.std);
        ir.finish();
    }
    r.read("seed", c.seed);
    r.read("eval_every", c.eval_every);
    r.read("eval_limit", c.eval_limit);
    r.finish();
    validate(c);
    return c;
}

TrainingConfig read_training_config(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path.string() + ": " + std::strerror(errno));
    std::stringstream text;
    text << in.rdbuf();
    Json j;
    try {
        j = Json::parse(text.str());
    } catch (const Json::parse_error& e) {
        throw std::runtime_error(path.string() + ": not valid JSON: " + e.what());
    }
    return training_config_from_json(j);
}

void write_training_config(const std::filesystem::path& path, const TrainingConfig& config) {
    io::write_file_atomically(path, training_config_to_json(config).dump(2) + "\n");
}

} // namespace nnscope::workflows
