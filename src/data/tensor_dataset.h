#pragma once
// TensorDataset: sample i is the tuple of every tensor's row i.

#include "data/dataset.h"

#include <vector>

namespace nnscope::data {

class TensorDataset : public Dataset {
public:
    // Throws "Size mismatch between tensors" (PyTorch's assertion) when the first dimensions
    // differ; the message adds the sizes.
    explicit TensorDataset(std::vector<Tensor> tensors);
    std::int64_t size() const override;
    Sample get(std::int64_t index) const override;
    std::string name() const override { return "TensorDataset"; }

private:
    std::vector<Tensor> tensors_;
};

} // namespace nnscope::data
