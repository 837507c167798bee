#pragma once
// The entry points of nnscope-cli's subcommands, each in its own cmd_<name>.cpp.

#include "cli/commands.h"

namespace nnscope::cli {

int run_summary(Args args);
int run_run(Args args);
int run_bench(Args args);
int run_loader(Args args);
int run_transform(Args args);
int run_train(Args args);
int run_convert(Args args);
int run_diff(Args args);

} // namespace nnscope::cli
