#include "data/dataset.h"

#include <stdexcept>

namespace nnscope::data {

void Dataset::check_index(std::int64_t index) const {
    if (index < 0 || index >= size())
        throw std::out_of_range(name() + ": index " + std::to_string(index) +
                                " is out of range for a dataset of " + std::to_string(size()) +
                                " samples");
}

RangeDataset::RangeDataset(std::int64_t n)
    : n_(n) {
    if (n < 0) throw std::invalid_argument("RangeDataset: negative size " + std::to_string(n));
}

Sample RangeDataset::get(std::int64_t index) const {
    check_index(index);
    return Sample(index);
}

} // namespace nnscope::data
