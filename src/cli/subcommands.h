#pragma once
// The subcommands of nnscope-cli, each in its own cmd_<name>.cpp with its option table (see
// commands.h). A new subcommand is a new file returning its Command and one line in commands().

#include "cli/commands.h"

namespace nnscope::cli {

const Command& summary_command();
const Command& run_command();
const Command& bench_command();
const Command& loader_command();
const Command& transform_command();
const Command& train_command();
const Command& convert_command();
const Command& diff_command();
const Command& export_pytorch_command();

} // namespace nnscope::cli
