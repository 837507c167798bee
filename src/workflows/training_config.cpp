#include "workflows/training_config.h"

#include "data/config_error.h"

namespace nnscope::workflows {

data::DataLoaderConfig TrainingConfig::default_training_loader() {
    data::DataLoaderConfig c;
    c.dataset = "fashion-mnist";
    c.batch_size = 64;
    c.shuffle = true;
    c.epochs = 1;
    return c;
}

void validate(const TrainingConfig& c) {
    using data::ConfigError;
    if (c.model.empty()) throw ConfigError("model", "a training run needs a {model}");
    if (c.dataset.empty()) throw ConfigError("dataset", "a training run needs a {dataset}");
    if (c.epochs < 1)
        throw ConfigError("epochs", "{epochs} must be at least 1, got " + std::to_string(c.epochs));
    if (c.batch_size < 1)
        throw ConfigError("batch_size",
                          "{batch_size} must be at least 1, got " + std::to_string(c.batch_size));
    validate(c.optimizer);
    if (c.num_workers < 0) throw ConfigError("num_workers", "{num_workers} must not be negative");
    if (c.limit && *c.limit < 1) throw ConfigError("limit", "{limit} must be at least 1");
}

} // namespace nnscope::workflows
