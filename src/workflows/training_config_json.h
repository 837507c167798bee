#pragma once
// The JSON form of a training run, shared by `nnscope-cli train --config/--save-config` and the
// training workspace's Open/Save:
//   {"model": "mlp", "loader": {<data/loader_config_json.h's object>},
//    "loss": {"name": "cross_entropy", "label_smoothing": 0},
//    "optimizer": {"name": "sgd", "lr": 0.1, "momentum": 0, "dampening": 0, "nesterov": false,
//                  "weight_decay": 0, "betas": [0.9, 0.999], "eps": 1e-8, "amsgrad": false},
//    "init": {"scheme": "default", "std": 0.01}, "seed": 0, "eval_every": 0, "eval_limit": null}
// Missing keys take their defaults; unknown keys and wrong types are refused with a
// data::ConfigError naming the key (as the loader's JSON does).

#include "workflows/training_config.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace nnscope::workflows {

nlohmann::ordered_json training_config_to_json(const TrainingConfig& config);
TrainingConfig training_config_from_json(const nlohmann::json& json);

// Files: read throws std::runtime_error naming the file for unreadable or malformed JSON and
// data::ConfigError for a bad value; write writes a temporary file and renames it.
TrainingConfig read_training_config(const std::filesystem::path& path);
void write_training_config(const std::filesystem::path& path, const TrainingConfig& config);

} // namespace nnscope::workflows
