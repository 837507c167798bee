#include "data/random_split.h"

#include "engine/random.h"

#include <numeric>
#include <stdexcept>

namespace nnscope::data {

std::vector<std::shared_ptr<Subset>>
random_split(const DatasetPtr& dataset, const std::vector<std::int64_t>& lengths, Generator& gen) {
    if (!dataset) throw std::invalid_argument("random_split: dataset is null");
    for (const auto n : lengths)
        if (n < 0)
            throw std::invalid_argument("random_split: negative length " + std::to_string(n));
    const std::int64_t total = std::accumulate(lengths.begin(), lengths.end(), std::int64_t{0});
    if (total != dataset->size())
        throw std::invalid_argument(
            "Sum of input lengths does not equal the length of the input dataset!");
    const std::vector<std::int64_t> perm = randperm(total, gen).to_int64_vector();
    std::vector<std::shared_ptr<Subset>> out;
    std::size_t offset = 0;
    for (const auto n : lengths) {
        const auto count = static_cast<std::size_t>(n);
        out.push_back(std::make_shared<Subset>(
            dataset,
            std::vector<std::int64_t>(perm.begin() + static_cast<std::ptrdiff_t>(offset),
                                      perm.begin() + static_cast<std::ptrdiff_t>(offset + count))));
        offset += count;
    }
    return out;
}

} // namespace nnscope::data
