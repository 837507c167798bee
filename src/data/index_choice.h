#pragma once
// Indices of a data set given as a list or as range(begin, end): the shape of the arguments of
// SubsetRandomSampler and of Subset in a DataLoaderConfig (sampler.indices / sampler.range,
// subset.indices / subset.range).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nnscope::data {

using IndexList = std::optional<std::vector<std::int64_t>>;
using IndexRange = std::optional<std::pair<std::int64_t, std::int64_t>>; // [begin, end)

// The checks that need no data: not both, a range that does not end before it begins.
// ConfigError naming `prefix` + "indices" or "range".
void check_index_choice(const IndexList& indices, const IndexRange& range,
                        const std::string& prefix);

// The indices listed, else range(begin, end), else every index of a data set of n samples;
// ConfigError (`prefix` + "indices" or "range") for an index outside [0, n).
std::vector<std::int64_t> chosen_indices(const IndexList& indices, const IndexRange& range,
                                         std::int64_t n, const std::string& prefix);

} // namespace nnscope::data
