#pragma once
// The lab jobs' tests: a shuffled range:N DataLoader configuration with its own generator seed.

#include "data/loader_config.h"

#include <string>

namespace nnscope::test {

inline data::DataLoaderConfig range_config(std::int64_t n, std::int64_t batch_size,
                                           std::uint64_t seed, std::int64_t epochs = 2) {
    data::DataLoaderConfig c;
    c.dataset = "range:" + std::to_string(n);
    c.batch_size = batch_size;
    c.shuffle = true;
    c.generator_seed = seed;
    c.epochs = epochs;
    return c;
}

} // namespace nnscope::test
