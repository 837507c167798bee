#include "data/index_choice.h"

#include "data/config_error.h"

#include <numeric>

namespace nnscope::data {

void check_index_choice(const IndexList& indices, const IndexRange& range,
                        const std::string& prefix) {
    if (indices && range)
        throw ConfigError(prefix + "indices",
                          "give the subset as {indices} or as a {range}, not both");
    if (range && range->first > range->second)
        throw ConfigError(prefix + "range", "{range} [" + std::to_string(range->first) + ", " +
                                                std::to_string(range->second) +
                                                ") ends before it begins");
}

std::vector<std::int64_t> chosen_indices(const IndexList& indices, const IndexRange& range,
                                         std::int64_t n, const std::string& prefix) {
    std::vector<std::int64_t> idx;
    if (indices) {
        idx = *indices;
    } else {
        const auto [begin, end] = range.value_or(std::pair<std::int64_t, std::int64_t>{0, n});
        idx.resize(static_cast<std::size_t>(std::max<std::int64_t>(end - begin, 0)));
        std::iota(idx.begin(), idx.end(), begin);
    }
    for (auto i : idx)
        if (i < 0 || i >= n)
            throw ConfigError(prefix + (indices ? "indices" : "range"),
                              "subset index " + std::to_string(i) +
                                  " is out of range for a data set of " + std::to_string(n) +
                                  " samples");
    return idx;
}

} // namespace nnscope::data
