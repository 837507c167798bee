#pragma once
// The options of `nnscope-cli train` that make its workflows::TrainingConfig: the DataLoader's
// (loader_flags.h in its train dialect), the model, the loss, the initialisation, the optimizer
// with its arguments, the seed, --limit and the evaluation's --eval-every/--eval-limit; or the
// whole configuration from --config FILE.json (workflows/training_config_json.h), which refuses
// them. Errors name the option the user gave (or, with --config, the file and the JSON field).

#include "cli/commands.h"
#include "data/config_error.h"
#include "workflows/training_config.h"

#include <optional>
#include <string>
#include <vector>

namespace nnscope::cli {

// The table entries of the options that set a configuration field, in --help's order.
std::vector<Option> train_config_options();

// The configuration of `config_file` when given (any option above beside it is a UsageError),
// else of the options. UsageError naming the option for text that is not what it expects.
workflows::TrainingConfig train_config(Args& args, const std::optional<std::string>& config_file);

// The error with its field named as the option that sets it ("--loader-seed" for the loader's
// generator, "--limit" for the part --limit made), or as "FILE: field: message" for a
// configuration read from `config_file`.
data::ConfigError named_for_train_user(const data::ConfigError& error,
                                       const std::optional<std::string>& config_file,
                                       bool limit_given);

} // namespace nnscope::cli
