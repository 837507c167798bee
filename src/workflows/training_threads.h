#pragma once
// How many engine threads a training loop's own thread uses when nobody chose the count
// (`nnscope-cli train` without --threads or NNSCOPE_THREADS, the window's "automatic"): the
// threads the engine would use, less the DataLoader workers that keep a core busy and any the
// caller keeps for itself (the window's GUI thread), at least 1. Running more threads than cores
// makes a team wait at every join for a thread the kernel has parked, which costs more than the
// thread gives (bench/README.md, "Threads and DataLoader workers", has the figures).

#include "workflows/training_config.h"

namespace nnscope::workflows {

// The workers of `config` that compute beside the training loop for most of each step: every
// worker when the loader transforms its samples; none without a transform, where a worker only
// copies an image out of memory and collates (a few microseconds a sample) and then sleeps.
int busy_workers(const TrainingConfig& config);

// max(1, available - reserved - busy_workers).
int automatic_training_threads(int available, int busy_workers, int reserved = 0);

} // namespace nnscope::workflows
