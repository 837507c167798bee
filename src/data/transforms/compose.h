#pragma once
// transforms.Compose: applies its transforms in order; drawn parameters accumulate in order.

#include "data/transforms/transform.h"

namespace nnscope::data {

class Compose : public Transform {
public:
    explicit Compose(std::vector<TransformPtr> transforms);
    Tensor apply(const Tensor& image, Generator& gen,
                 std::vector<Drawn>* drawn = nullptr) const override;
    std::string name() const override { return "Compose"; }
    std::string repr() const override;
    const std::vector<TransformPtr>& transforms() const { return transforms_; }

private:
    std::vector<TransformPtr> transforms_;
};

} // namespace nnscope::data
