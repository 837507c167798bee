#pragma once
// What a training run is: the model, the DataLoader (in the lab's schema, data/loader_config.h),
// the loss, the optimizer with its arguments, the initialisation, the seed, the epochs (the
// loader's `epochs`) and how often the test split is evaluated. `nnscope-cli train`'s flags, its
// --config JSON (training_config_json.h) and the training workspace fill the same value.

#include "data/loader_config.h"
#include "workflows/optimizer_factory.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace nnscope::workflows {

// The loss on the model's logits and the labels: torch.nn.CrossEntropyLoss(label_smoothing=...)
// or torch.nn.NLLLoss (for a model that ends in LogSoftmax).
struct LossConfig {
    std::string name = "cross_entropy"; // "cross_entropy" | "nll"
    double label_smoothing = 0;         // cross_entropy only, in [0, 1]
    bool operator==(const LossConfig&) const = default;
};

// An initialisation applied with model.apply(init) after the model is built, to every Linear,
// Conv1d/2d and Embedding(Bag): "default" keeps PyTorch's own (reset_parameters);
// "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal" (nonlinearity "relu",
// mode fan_in) and "normal" (mean 0, `std`) fill the weight and zero the bias; "zeros" zeroes
// both, so a learner sees what all-zero weights do.
struct InitConfig {
    std::string scheme = "default";
    double std = 0.01; // "normal" only
    bool operator==(const InitConfig&) const = default;
};

struct TrainingConfig {
    std::string model = "mlp"; // "mlp" | "cnn" | "textcls" | a native model file
    // The training split's DataLoader, in the lab's schema: any part of the data set
    // (Subset/random_split), sampler, batch_sampler, drop_last, workers and transform. The
    // defaults: Fashion-MNIST, batch_size 64, shuffle, one epoch (`loader.epochs` is the run's
    // number of epochs). The run trains on the "train" split and collates as its model needs
    // (ag-news: the tutorial's offsets batches), so `split` must stay "train" and `collate_fn`
    // "default" (or "offsets").
    data::DataLoaderConfig loader = default_training_loader();
    LossConfig loss;
    OptimizerConfig optimizer;
    InitConfig init;
    std::uint64_t seed = 0; // torch.manual_seed(seed) before the model is built
    // TrainingRun evaluates by itself every N steps; 0: only when its owner asks (the CLI after
    // the last epoch, the window after each epoch).
    std::int64_t eval_every = 0;
    std::optional<std::int64_t> eval_limit; // the first N samples of the test split

    // The batch size of a step: the batch_sampler's, else batch_size (1 for None).
    std::int64_t batch_size() const;
    // The test split is evaluated in batches of max(batch_size(), 1000).
    std::int64_t eval_batch_size() const { return std::max<std::int64_t>(batch_size(), 1000); }

    // Fashion-MNIST (the Debian package's files), batch_size 64, shuffle=True, one epoch.
    static data::DataLoaderConfig default_training_loader();

    bool operator==(const TrainingConfig&) const = default;
};

// The defaults of the loader fields a user does not give: default_training_loader(), except
// where PyTorch would refuse them beside what the user chose: shuffle is off beside a sampler or
// a batch_sampler, and batch_size is 1 beside a batch_sampler. The CLI's flags and the JSON both
// start from these.
data::DataLoaderConfig training_loader_defaults(bool sampler_chosen, bool batch_sampler_chosen);

// The first n samples of each split (`nnscope-cli train --limit n`): the loader reads
// Subset(train, range(0, n)) and evaluation stops after n test samples.
void limit_samples(TrainingConfig& config, std::int64_t n);

// data::ConfigError naming the field for a value no run can take (the data set and the model are
// checked when the run opens them). The fields are the JSON keys' last part ("batch_size",
// "lr", "label_smoothing"), the names of the loss and the init "loss" and "init", and the
// normal init's std "init_std", so that the CLI names them as its options.
void validate(const TrainingConfig& config);
void validate(const LossConfig& config);
void validate(const InitConfig& config);

} // namespace nnscope::workflows
