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
    // The training split's DataLoader. The defaults: Fashion-MNIST, batch_size 64, shuffle, one
    // epoch (`loader.epochs` is the run's number of epochs).
    data::DataLoaderConfig loader = default_training_loader();
    LossConfig loss;
    OptimizerConfig optimizer;
    InitConfig init;
    std::uint64_t seed = 0;                 // torch.manual_seed(seed) before the model is built
    std::int64_t eval_every = 0;            // evaluate every N steps; 0: after each epoch only
    std::optional<std::int64_t> eval_limit; // the first N samples of the test split

    // The test split is evaluated in batches of max(batch_size, 1000).
    std::int64_t eval_batch_size() const { return std::max<std::int64_t>(batch_size, 1000); }

    // Fashion-MNIST (the Debian package's files), batch_size 64, shuffle=True, one epoch.
    static data::DataLoaderConfig default_training_loader();

    // --- DEPRECATED: #7's fields. The config part folds them into `loader` (epochs becomes
    // loader.epochs) and makes eval_batch_size() read loader.batch_size.
    // ----------------------------
    std::string dataset;
    std::int64_t epochs = 1;
    std::int64_t batch_size = 64;
    int num_workers = 0;
    std::optional<std::int64_t> limit;
    std::string transform;

    bool operator==(const TrainingConfig&) const = default;
};

// data::ConfigError naming the field for a value no run can take (the data set and the model are
// checked when the run opens them).
void validate(const TrainingConfig& config);
void validate(const LossConfig& config);
void validate(const InitConfig& config);

} // namespace nnscope::workflows
