#pragma once
// `--threads N`, shared by the subcommands that compute (run, bench, train, diff): the number of
// threads one engine operation may use (engine/parallel.h), set process-wide before the command
// computes anything. Without it the engine keeps its default: NNSCOPE_THREADS when that is a
// positive integer, else the hardware threads. Results are the same bytes for any count.

#include "cli/commands.h"

#include <nlohmann/json.hpp>

namespace nnscope::cli {

// The table entry of --threads; its help names this machine's default.
Option threads_option();

struct EngineThreads {
    int threads = 1; // the process-wide setting now (parallel::configured_threads())
    // Someone chose the count: --threads, or NNSCOPE_THREADS in the environment. False: it is the
    // hardware threads, which a command may lower for threads of its own (train's workers).
    bool chosen = false;
};

// Reads --threads and applies it (parallel::set_num_threads). UsageError for a value that is not
// a whole number from 1 to 1024.
EngineThreads apply_threads(Args& args);

// The engine's part of a JSON result: "threads" (parallel::threads_in_use()) and "parallel"
// (whether the build has the OpenMP runtime, parallel::available()).
void add_engine_report(nlohmann::ordered_json& result);

} // namespace nnscope::cli
