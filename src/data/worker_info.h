#pragma once
// torch.utils.data.get_worker_info(): inside a DataLoader worker thread, which worker this is and
// its own generator (seeded base_seed + id); nullptr on any other thread.

#include "engine/generator.h"

#include <cstdint>

namespace nnscope::data {

class Dataset;

struct WorkerInfo {
    int id = 0;
    int num_workers = 0;
    std::uint64_t seed = 0;
    Generator* generator = nullptr; // the worker's own; datasets draw from it, not the default
    const Dataset* dataset = nullptr;
};

const WorkerInfo* get_worker_info();
// Set by the worker thread itself for its lifetime (nullptr to clear).
void set_worker_info(const WorkerInfo* info);

} // namespace nnscope::data
