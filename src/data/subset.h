#pragma once
// Subset: the samples of another dataset at the given indices, in that order.

#include "data/dataset.h"

#include <vector>

namespace nnscope::data {

class Subset : public Dataset {
public:
    Subset(DatasetPtr dataset, std::vector<std::int64_t> indices);
    std::int64_t size() const override { return static_cast<std::int64_t>(indices_.size()); }
    Sample get(std::int64_t index) const override;
    std::optional<std::int64_t> label(std::int64_t index) const override;
    std::string name() const override { return "Subset"; }
    const DatasetPtr& dataset() const { return dataset_; }
    const std::vector<std::int64_t>& indices() const { return indices_; }

private:
    DatasetPtr dataset_;
    std::vector<std::int64_t> indices_;
};

} // namespace nnscope::data
