#pragma once
// range(n) with class labels by a rule, for exploring samplers on known class distributions:
// sample i is the tuple (i, label).
//   mod=K        label i % K: K balanced classes, interleaved
//   imbalanced=K K classes in contiguous blocks, each about half the size of the one before
//                (sizes n * 2^(K-1-c) / (2^K - 1), the remainder to class 0)

#include "data/dataset.h"

#include <vector>

namespace nnscope::data {

class LabelledRangeDataset : public Dataset {
public:
    enum class Rule { Mod, Imbalanced };
    // std::invalid_argument for a negative size or fewer than one class.
    LabelledRangeDataset(std::int64_t n, Rule rule, std::int64_t classes);

    std::int64_t size() const override { return n_; }
    Sample get(std::int64_t index) const override; // (int i, int label)
    std::optional<std::int64_t> label(std::int64_t index) const override;
    std::string name() const override { return "LabelledRangeDataset"; }

private:
    std::int64_t n_, classes_;
    Rule rule_;
    std::vector<std::int64_t> block_ends_; // Imbalanced: the end of each class's block
};

} // namespace nnscope::data
