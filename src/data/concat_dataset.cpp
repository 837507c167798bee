#include "data/concat_dataset.h"

#include <algorithm>
#include <stdexcept>

namespace nnscope::data {

ConcatDataset::ConcatDataset(std::vector<DatasetPtr> datasets)
    : datasets_(std::move(datasets)) {
    if (datasets_.empty()) throw std::invalid_argument("datasets should not be an empty iterable");
    std::int64_t total = 0;
    for (const auto& d : datasets_) {
        if (!d) throw std::invalid_argument("ConcatDataset: a dataset is null");
        total += d->size();
        cumulative_.push_back(total);
    }
}

std::pair<std::size_t, std::int64_t> ConcatDataset::locate(std::int64_t index) const {
    if (index < 0) {
        if (-index > size())
            throw std::invalid_argument("absolute value of index should not exceed dataset length");
        index += size();
    }
    check_index(index);
    // bisect_right: the first dataset whose cumulative size exceeds index.
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), index);
    const auto which = static_cast<std::size_t>(it - cumulative_.begin());
    return {which, which == 0 ? index : index - cumulative_[which - 1]};
}

Sample ConcatDataset::get(std::int64_t index) const {
    const auto [which, inner] = locate(index);
    return datasets_[which]->get(inner);
}

std::optional<std::int64_t> ConcatDataset::label(std::int64_t index) const {
    const auto [which, inner] = locate(index);
    return datasets_[which]->label(inner);
}

} // namespace nnscope::data
