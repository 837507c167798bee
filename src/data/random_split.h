#pragma once
// torch.utils.data.random_split (PyTorch 1.13) with lengths given as counts: one randperm of the
// whole dataset drawn from the generator, cut into consecutive Subsets.

#include "data/subset.h"
#include "engine/generator.h"

#include <memory>
#include <vector>

namespace nnscope::data {

// Throws std::invalid_argument with PyTorch's message when the lengths do not sum to the
// dataset's size, or for a negative length. Without gen, this thread's default_generator().
std::vector<std::shared_ptr<Subset>> random_split(const DatasetPtr& dataset,
                                                  const std::vector<std::int64_t>& lengths,
                                                  Generator& gen = default_generator());

} // namespace nnscope::data
