#pragma once
// The JSON form of a DataLoaderConfig, shared by `nnscope-cli loader --config` and the window.
// Keys are DataLoader's argument names; a missing key keeps its default, an unknown key or a
// value of the wrong type is a ConfigError naming the field and showing the value. Example:
//   {"dataset": "range:25:mod=3", "split": "train",
//    "subset": {"random_split": {"lengths": [0.8, 0.2], "seed": 42, "part": 0}},
//    "batch_size": 4, "shuffle": false,
//    "sampler": {"kind": "weighted", "weights": "class-balanced", "num_samples": 20,
//                "replacement": true},
//    "batch_sampler": null, "drop_last": false, "num_workers": 0, "collate_fn": "default",
//    "pin_memory": false, "timeout": 0, "worker_init_fn": "none", "generator": 5,
//    "prefetch_factor": 2, "persistent_workers": false, "transform": "", "epochs": 3}
// "subset" is null (the whole data set), {"indices": [...]}, {"range": [begin, end]} or
// {"random_split": {"lengths": [...], "seed": S, "part": P}} (lengths: counts, or fractions
// summing to 1). "worker_init_fn" is "none" or "seed-numpy". A sampler is null, its kind
// ("sequential") or an object with its "kind" and arguments; "batch_sampler" is null or
// {"batch_size": N, "drop_last": false}. Weights are "class-balanced", a list (one per sample when
// it fits the data set, else one per class), {"per_sample": [...]} or {"per_class": [...]}.

#include "data/loader_config.h"

#include <nlohmann/json.hpp>
#include <string>

namespace nnscope::data {

nlohmann::ordered_json loader_config_to_json(const DataLoaderConfig& config);
// Reads and then validate()s.
DataLoaderConfig loader_config_from_json(const nlohmann::json& j);
// A JSON file of it (as `nnscope-cli loader --save-config` and the lab's Save write one), read
// and validated: std::runtime_error naming the file when it cannot be read, ConfigError (field
// "config") for text that is not JSON, ConfigError naming the field for a bad value.
DataLoaderConfig loader_config_from_file(const std::string& path);

// For nlohmann's j.get<DataLoaderConfig>() and json(config).
void to_json(nlohmann::json& j, const DataLoaderConfig& config);
void from_json(const nlohmann::json& j, DataLoaderConfig& config);

} // namespace nnscope::data
