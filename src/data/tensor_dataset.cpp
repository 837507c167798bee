#include "data/tensor_dataset.h"

#include <stdexcept>

namespace nnscope::data {

TensorDataset::TensorDataset(std::vector<Tensor> tensors)
    : tensors_(std::move(tensors)) {
    if (tensors_.empty()) throw std::invalid_argument("TensorDataset: no tensors given");
    for (const auto& t : tensors_) {
        if (t.dim() == 0)
            throw std::invalid_argument("TensorDataset: tensors need a first dimension, got a "
                                        "0-dim tensor");
        if (t.size(0) != tensors_[0].size(0))
            throw std::invalid_argument(
                "Size mismatch between tensors: " + shape_to_string(tensors_[0].shape()) + " and " +
                shape_to_string(t.shape()));
    }
}

std::int64_t TensorDataset::size() const {
    return tensors_[0].size(0);
}

Sample TensorDataset::get(std::int64_t index) const {
    check_index(index);
    Sample::Tuple row;
    for (const auto& t : tensors_)
        row.emplace_back(t.select(0, index));
    return Sample::tuple(std::move(row));
}

} // namespace nnscope::data
