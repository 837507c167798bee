#pragma once
// The options of `nnscope-cli loader` that make its data::DataLoaderConfig, and its errors named
// the way the user gave the configuration: a field as the option that sets it (generator ->
// --seed, batch_sampler.batch_size -> --batch-sampler), or as the JSON key of a --config file.

#include "cli/commands.h"
#include "data/config_error.h"
#include "data/loader_config.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::cli {

// The options that set a configuration field (all but --config, --save-config and the output
// options): --config refuses them.
const std::vector<std::string_view>& loader_config_options();

// The configuration the options give (validated later, by the simulation that builds it).
// UsageError naming the option for text that is not what it expects.
data::DataLoaderConfig loader_config_from_options(Args& args);

// The configuration of a --config JSON file (data/loader_config_json.h), validated.
data::DataLoaderConfig loader_config_from_file(const std::string& path);

// "--seed" for "generator", "--subset-indices" for "subset.indices", "--num-samples" for
// "sampler.num_samples".
std::string loader_option_of(std::string_view field);

// The error with its fields named as options ("--batch-sampler: batch_size should be ..."), or,
// for a configuration read from `config_file`, as "FILE: field: message".
data::ConfigError named_for_user(const data::ConfigError& error,
                                 const std::optional<std::string>& config_file);

} // namespace nnscope::cli
