#pragma once
// The DataLoader lab's worker streams (LoaderAnalysis::workers): for each epoch and worker, the
// samples it loads and what numpy would draw for each, three ways (see WorkerStream).

#include "workflows/loader_analysis.h"

#include <vector>

namespace nnscope::workflows {

// By epoch, then worker 0..num_workers-1. Batch k of an epoch goes to worker k % num_workers, as
// DataLoaderIterator (and PyTorch's _try_put_index) hands out tasks; with persistent workers
// each worker's numpy states go on across epochs. Empty when `cancel` is raised (read once an
// epoch).
std::vector<WorkerStream> worker_streams(const std::vector<EpochDraw>& epochs, int num_workers,
                                         bool persistent_workers,
                                         const std::atomic<bool>* cancel = nullptr);

} // namespace nnscope::workflows
