#include "data/subset.h"

#include <stdexcept>

namespace nnscope::data {

Subset::Subset(DatasetPtr dataset, std::vector<std::int64_t> indices)
    : dataset_(std::move(dataset))
    , indices_(std::move(indices)) {
    if (!dataset_) throw std::invalid_argument("Subset: dataset is null");
}

Sample Subset::get(std::int64_t index) const {
    check_index(index);
    return dataset_->get(indices_[static_cast<std::size_t>(index)]);
}

std::optional<std::int64_t> Subset::label(std::int64_t index) const {
    check_index(index);
    return dataset_->label(indices_[static_cast<std::size_t>(index)]);
}

} // namespace nnscope::data
