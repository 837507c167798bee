#include "workflows/training_config.h"

#include "data/config_error.h"
#include "data/loader_factory.h"
#include "engine/nn/value.h"

#include <array>
#include <cmath>

namespace nnscope::workflows {

namespace {

using data::ConfigError;

constexpr std::array init_schemes = {
    "default",        "xavier_uniform", "xavier_normal", "kaiming_uniform",
    "kaiming_normal", "normal",         "zeros"};

// The loader checks a training run adds to PyTorch's own (data::validate), first: the CLI has
// always named these as its own usage errors.
void validate_training_loader(const data::DataLoaderConfig& c) {
    if (c.dataset.empty()) throw ConfigError("dataset", "a training run needs a {dataset}");
    if (c.test_split)
        throw ConfigError("split", "a training run trains on the train split ({split} \"train\") "
                                   "and evaluates on the test split");
    if (c.epochs < 1)
        throw ConfigError("epochs", "{epochs} must be at least 1, got " + std::to_string(c.epochs));
    if (!c.batch_size && !c.batch_sampler)
        throw ConfigError("batch_size", "a training run needs batches: {batch_size} None is not "
                                        "allowed");
    if (c.batch_size && *c.batch_size < 1)
        throw ConfigError("batch_size",
                          "{batch_size} must be at least 1, got " + std::to_string(*c.batch_size));
    if (c.num_workers < 0) throw ConfigError("num_workers", "{num_workers} must not be negative");
    if (c.collate_fn == data::CollateChoice::Padding)
        throw ConfigError("collate_fn", "a training run collates as its model needs: {collate_fn} "
                                        "must be \"default\" (ag-news: \"offsets\")");
    data::validate(c);
    data::parse_config_transform(c.dataset, c.transform); // its syntax, before any file is read
}

} // namespace

data::DataLoaderConfig TrainingConfig::default_training_loader() {
    data::DataLoaderConfig c;
    c.dataset = "fashion-mnist";
    c.batch_size = 64;
    c.shuffle = true;
    c.epochs = 1;
    return c;
}

std::int64_t TrainingConfig::batch_size() const {
    if (loader.batch_sampler) return loader.batch_sampler->batch_size;
    return loader.batch_size.value_or(1);
}

data::DataLoaderConfig training_loader_defaults(bool sampler_chosen, bool batch_sampler_chosen) {
    data::DataLoaderConfig c = TrainingConfig::default_training_loader();
    if (sampler_chosen || batch_sampler_chosen) c.shuffle = false;
    if (batch_sampler_chosen) c.batch_size = 1;
    return c;
}

void limit_samples(TrainingConfig& config, std::int64_t n) {
    config.loader.part =
        data::SubsetArgs{std::nullopt, std::pair<std::int64_t, std::int64_t>{0, n}};
    config.eval_limit = n;
}

void validate(const LossConfig& c) {
    if (c.name != "cross_entropy" && c.name != "nll")
        throw ConfigError("loss", "unknown {loss} '" + c.name + "' (cross_entropy or nll)");
    if (!(c.label_smoothing >= 0 && c.label_smoothing <= 1))
        throw ConfigError("label_smoothing", "{label_smoothing} must be between 0 and 1, got " +
                                                 nn::python_float_repr(c.label_smoothing));
    if (c.name == "nll" && c.label_smoothing != 0)
        throw ConfigError("label_smoothing", "{label_smoothing} applies to {loss} cross_entropy "
                                             "only");
}

void validate(const InitConfig& c) {
    if (std::find(init_schemes.begin(), init_schemes.end(), c.scheme) == init_schemes.end())
        throw ConfigError("init", "unknown {init} '" + c.scheme +
                                      "' (default, xavier_uniform, xavier_normal, "
                                      "kaiming_uniform, kaiming_normal, normal or zeros)");
    if (!(c.std >= 0) || !std::isfinite(c.std))
        throw ConfigError("init_std", "{init_std} must be a number of at least 0, got " +
                                          nn::python_float_repr(c.std));
}

void validate(const TrainingConfig& c) {
    if (c.model.empty()) throw ConfigError("model", "a training run needs a {model}");
    validate_training_loader(c.loader);
    validate(c.optimizer);
    validate(c.loss);
    validate(c.init);
    if (c.eval_every < 0)
        throw ConfigError("eval_every",
                          "{eval_every} must not be negative, got " + std::to_string(c.eval_every));
    if (c.eval_limit && *c.eval_limit < 1)
        throw ConfigError("eval_limit",
                          "{eval_limit} must be at least 1, got " + std::to_string(*c.eval_limit));
}

} // namespace nnscope::workflows
