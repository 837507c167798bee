#pragma once
// torch.utils.data.Dataset (map-style): a size and get(i). get must be safe to call from
// several DataLoader worker threads at once.

#include "data/sample.h"

#include <memory>
#include <optional>
#include <string>

namespace nnscope::data {

class Dataset {
public:
    virtual ~Dataset() = default;
    virtual std::int64_t size() const = 0;
    virtual Sample get(std::int64_t index) const = 0;
    // The class label of sample i when the dataset knows it without loading the sample
    // (class-balanced weights, per-class counts); nullopt otherwise.
    virtual std::optional<std::int64_t> label(std::int64_t) const { return std::nullopt; }
    virtual std::string name() const = 0;

protected:
    // Throws std::out_of_range naming the dataset when index is not in [0, size).
    void check_index(std::int64_t index) const;
};

using DatasetPtr = std::shared_ptr<const Dataset>;

// range(n): sample i is the integer i, and so is its label.
class RangeDataset : public Dataset {
public:
    explicit RangeDataset(std::int64_t n);
    std::int64_t size() const override { return n_; }
    Sample get(std::int64_t index) const override;
    std::optional<std::int64_t> label(std::int64_t index) const override { return index; }
    std::string name() const override { return "RangeDataset"; }

private:
    std::int64_t n_;
};

} // namespace nnscope::data
