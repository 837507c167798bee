#include "cli/train_flags.h"

#include "cli/loader_flags.h"
#include "workflows/training_config_json.h"

#include <array>
#include <nlohmann/json.hpp>

namespace nnscope::cli {

namespace {

std::optional<double> number_option(Args& args, const char* name) {
    if (!args.given(name)) return std::nullopt;
    return args.double_option_or(name, 0);
}

// "B1,B2" as two numbers.
std::array<double, 2> betas_option(const std::string& text) {
    const auto list = nlohmann::json::parse("[" + text + "]", nullptr, false);
    if (!list.is_array() || list.size() != 2 || !list[0].is_number() || !list[1].is_number())
        throw UsageError("--betas expects B1,B2, got '" + text + "'");
    return {list[0].get<double>(), list[1].get<double>()};
}

workflows::OptimizerConfig optimizer_config(Args& args) {
    workflows::OptimizerConfig o;
    o.name = args.option_or("optimizer", "sgd");
    o.lr = number_option(args, "lr").value_or(workflows::default_learning_rate(o.name));
    o.momentum = number_option(args, "momentum").value_or(0);
    o.dampening = number_option(args, "dampening").value_or(0);
    o.nesterov = args.flag("nesterov");
    o.weight_decay = number_option(args, "weight-decay");
    if (const auto betas = args.option("betas")) o.betas = betas_option(*betas);
    o.eps = number_option(args, "eps").value_or(o.eps);
    o.amsgrad = args.flag("amsgrad");
    return o;
}

workflows::TrainingConfig config_from_options(Args& args) {
    workflows::TrainingConfig c;
    c.model = args.option_or("model", "");
    if (c.model.empty()) throw UsageError("train needs --model mlp|cnn|textcls|FILE");
    c.loader = loader_config_from_options(
        args, LoaderDialect::Train,
        workflows::training_loader_defaults(args.given("sampler"), args.given("batch-sampler")));
    if (const auto limit = args.option("limit")) {
        if (args.given("subset-indices") || args.given("subset-range") ||
            args.given("random-split"))
            throw UsageError("--limit cannot be given with --subset-indices, --subset-range or "
                             "--random-split");
        const long long n = args.int_option_or("limit", 0);
        if (n < 1) throw UsageError("--limit must be at least 1, got " + *limit);
        workflows::limit_samples(c, n);
    }
    c.loss.name = args.option_or("loss", c.loss.name);
    c.loss.label_smoothing = number_option(args, "label-smoothing").value_or(0);
    c.init.scheme = args.option_or("init", c.init.scheme);
    c.init.std = number_option(args, "init-std").value_or(c.init.std);
    c.optimizer = optimizer_config(args);
    const long long seed = args.int_option_or("seed", 0);
    if (seed < 0) throw UsageError("--seed must not be negative");
    c.seed = static_cast<std::uint64_t>(seed);
    c.eval_every = args.int_option_or("eval-every", 0);
    if (args.given("eval-limit")) {
        if (args.given("limit"))
            throw UsageError("--eval-limit cannot be given with --limit (which sets it)");
        c.eval_limit = args.int_option_or("eval-limit", 0);
    }
    return c;
}

} // namespace

std::vector<Option> train_config_options() {
    std::vector<Option> options = {value("model", "mlp|cnn|textcls|FILE",
                                         "the model: a bundled one or a native model file; "
                                         "ag-news trains textcls (EmbeddingBag + Linear)",
                                         true)};
    const auto loader = loader_options(LoaderDialect::Train);
    options.insert(options.end(), loader.begin(), loader.end());
    options.insert(
        options.end(),
        {value("limit", "N",
               "keep the first N samples of each split (the loader reads Subset(train, "
               "range(0, N)); --eval-limit N)"),
         value("loss", "cross_entropy|nll",
               "nn.CrossEntropyLoss (default) or nn.NLLLoss (for a model ending in LogSoftmax)"),
         value("label-smoothing", "E",
               "CrossEntropyLoss(label_smoothing=E), in [0, 1] (default 0)"),
         value("init", "SCHEME",
               "model.apply(init) after the model is built: default (PyTorch's own), "
               "xavier_uniform, xavier_normal, kaiming_uniform, kaiming_normal (relu, fan_in), "
               "normal or zeros, on every Linear, Conv2d and Embedding(Bag) weight, biases "
               "zeroed"),
         value("init-std", "S", "--init normal: the standard deviation (default 0.01)"),
         value("optimizer", "sgd|adam|adamw", "the optimizer (default sgd)"),
         value("lr", "LR", "learning rate (default 0.1 for sgd, 0.001 for adam and adamw)"),
         value("momentum", "M", "SGD momentum (default 0)"),
         value("dampening", "D", "SGD dampening (default 0)"),
         flag("nesterov", "SGD nesterov=True (needs --momentum, dampening 0)"),
         value("weight-decay", "W", "weight_decay (default 0; 0.01 for adamw)"),
         value("betas", "B1,B2", "Adam/AdamW betas (default 0.9,0.999)"),
         value("eps", "E", "Adam/AdamW eps (default 1e-8)"),
         flag("amsgrad", "Adam/AdamW amsgrad=True"),
         value("seed", "S",
               "torch.manual_seed(S) before the model is built; the init, the shuffling and "
               "the workers draw after it, as in PyTorch (default 0)"),
         value("eval-every", "N",
               "evaluate on the test split every N steps while training (printed, and listed "
               "under \"evaluations\" with --json); default: only at the end"),
         value("eval-limit", "N", "evaluate on the first N test samples only")});
    return options;
}

workflows::TrainingConfig train_config(Args& args, const std::optional<std::string>& file) {
    if (!file) return config_from_options(args);
    for (const Option& o : train_config_options())
        if (args.given(o.name))
            throw UsageError("--config " + *file + " gives the whole configuration: --" +
                             std::string(o.name) +
                             " cannot be given with it (edit the file, or give every option "
                             "without --config)");
    return workflows::read_training_config(*file);
}

data::ConfigError named_for_train_user(const data::ConfigError& e,
                                       const std::optional<std::string>& config_file,
                                       bool limit_given) {
    if (!config_file && limit_given && e.field().starts_with("subset."))
        return data::ConfigError(
            "limit", data::ConfigError::literal("--limit: " + std::string(e.what())), e.kind());
    return named_for_user(e, config_file, LoaderDialect::Train);
}

} // namespace nnscope::cli
