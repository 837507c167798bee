#pragma once
// ConcatDataset: datasets one after another; negative indices count from the end, as PyTorch.

#include "data/dataset.h"

#include <utility>
#include <vector>

namespace nnscope::data {

class ConcatDataset : public Dataset {
public:
    // Throws "datasets should not be an empty iterable" for an empty list.
    explicit ConcatDataset(std::vector<DatasetPtr> datasets);
    std::int64_t size() const override { return cumulative_.back(); }
    Sample get(std::int64_t index) const override;
    std::optional<std::int64_t> label(std::int64_t index) const override;
    std::string name() const override { return "ConcatDataset"; }
    const std::vector<std::int64_t>& cumulative_sizes() const { return cumulative_; }

private:
    // (dataset number, index inside it)
    std::pair<std::size_t, std::int64_t> locate(std::int64_t index) const;

    std::vector<DatasetPtr> datasets_;
    std::vector<std::int64_t> cumulative_;
};

} // namespace nnscope::data
