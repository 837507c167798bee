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

// Which command reads the options. `loader`: --batch-size 0 is None, --shuffle, --seed is the
// loader's generator, --split and --collate. `train`: its defaults (batch_size 64, shuffled),
// --no-shuffle, --loader-seed for the generator (--seed is train's torch.manual_seed), no --split
// (a run trains on the train split) nor --collate (it collates as its model needs).
enum class LoaderDialect { Loader, Train };

// The table entries of the options that set a configuration field (--dataset ... --epochs), in
// the order the command's help lists them.
std::vector<Option> loader_options(LoaderDialect dialect = LoaderDialect::Loader);

// Their names (all but --config, --save-config and the output options): --config refuses them.
std::vector<std::string_view> loader_config_options(LoaderDialect dialect = LoaderDialect::Loader);

// The configuration the options give over `defaults` (validated later, by the simulation that
// builds it). UsageError naming the option for text that is not what it expects.
data::DataLoaderConfig loader_config_from_options(Args& args,
                                                  LoaderDialect dialect = LoaderDialect::Loader,
                                                  const data::DataLoaderConfig& defaults = {});

// "--seed" for "generator", "--subset-indices" for "subset.indices", "--num-samples" for
// "sampler.num_samples".
std::string loader_option_of(std::string_view field, LoaderDialect dialect = LoaderDialect::Loader);

// The error with its fields named as options ("--batch-sampler: batch_size should be ..."), or,
// for a configuration read from `config_file`, as "FILE: field: message".
data::ConfigError named_for_user(const data::ConfigError& error,
                                 const std::optional<std::string>& config_file,
                                 LoaderDialect dialect = LoaderDialect::Loader);

} // namespace nnscope::cli
