#pragma once
// transforms.CenterCrop(size): crops the centre; an image smaller than the crop is first padded
// with zeros, as torchvision does.

#include "data/transforms/transform.h"
#include "engine/nn/value.h"

namespace nnscope::data {

class CenterCrop : public Transform {
public:
    explicit CenterCrop(nn::Value size);
    Tensor apply(const Tensor& image, Generator& gen,
                 std::vector<Drawn>* drawn = nullptr) const override;
    std::string name() const override { return "CenterCrop"; }
    std::string repr() const override;

private:
    nn::Value size_given_;
    std::vector<std::int64_t> size_; // h, w
};

} // namespace nnscope::data
