#pragma once
// torch.utils.data.random_split (PyTorch 1.13): one randperm of the whole dataset drawn from the
// generator, cut into consecutive Subsets of the given lengths.

#include "data/subset.h"
#include "engine/generator.h"

#include <memory>
#include <string>
#include <vector>

namespace nnscope::data {

// Throws std::invalid_argument with PyTorch's message when the lengths do not sum to the
// dataset's size, or for a negative length. Without gen, this thread's default_generator().
std::vector<std::shared_ptr<Subset>> random_split(const DatasetPtr& dataset,
                                                  const std::vector<std::int64_t>& lengths,
                                                  Generator& gen = default_generator());

// The counts random_split cuts a dataset of `size` samples into, from lengths as PyTorch 1.13
// reads them: lengths summing to 1 (math.isclose) and not above are fractions, each
// floor(size * fraction), the remainder added one by one round-robin from the first part; other
// lengths are the counts themselves.
struct SplitLengths {
    std::vector<std::int64_t> counts;
    std::vector<std::string> warnings; // PyTorch's, for a fraction that gives an empty part
};
// Throws std::invalid_argument: PyTorch's messages for a fraction outside [0, 1] and for counts
// that do not sum to `size`; its own for a count that is negative or not a whole number (which
// PyTorch does not check: a negative count silently moves samples from one part to another).
SplitLengths random_split_lengths(const std::vector<double>& lengths, std::int64_t size);
bool split_lengths_are_fractions(const std::vector<double>& lengths);
// The counts' own check (negative, not whole) that random_split_lengths makes after the sum.
void check_split_counts(const std::vector<double>& lengths);

} // namespace nnscope::data
