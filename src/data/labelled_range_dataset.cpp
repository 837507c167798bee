#include "data/labelled_range_dataset.h"

#include <algorithm>
#include <stdexcept>

namespace nnscope::data {

LabelledRangeDataset::LabelledRangeDataset(std::int64_t n, Rule rule, std::int64_t classes)
    : n_(n)
    , classes_(classes)
    , rule_(rule) {
    if (n < 0)
        throw std::invalid_argument("LabelledRangeDataset: negative size " + std::to_string(n));
    if (classes < 1 || classes > 62)
        throw std::invalid_argument("LabelledRangeDataset: the number of classes must be in "
                                    "[1, 62], got " +
                                    std::to_string(classes));
    if (rule != Rule::Imbalanced) return;
    const double total = static_cast<double>((std::int64_t{1} << classes) - 1);
    std::vector<std::int64_t> sizes;
    std::int64_t assigned = 0;
    for (std::int64_t c = 0; c < classes; ++c) {
        const double share = static_cast<double>(std::int64_t{1} << (classes - 1 - c)) / total;
        sizes.push_back(static_cast<std::int64_t>(static_cast<double>(n) * share));
        assigned += sizes.back();
    }
    sizes[0] += n - assigned;
    std::int64_t end = 0;
    for (auto s : sizes)
        block_ends_.push_back(end += s);
}

std::optional<std::int64_t> LabelledRangeDataset::label(std::int64_t index) const {
    check_index(index);
    if (rule_ == Rule::Mod) return index % classes_;
    return std::upper_bound(block_ends_.begin(), block_ends_.end(), index) - block_ends_.begin();
}

Sample LabelledRangeDataset::get(std::int64_t index) const {
    return Sample::tuple({Sample(index), Sample(*label(index))});
}

} // namespace nnscope::data
