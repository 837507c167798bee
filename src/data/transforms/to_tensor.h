#pragma once
// transforms.ToTensor: a uint8 image [H, W] or [H, W, C] (what a PIL image or numpy array
// holds) becomes float32 [C, H, W] divided by 255. torchvision refuses tensors here; nnscope's
// data sets already hand out tensors, so a floating image [C, H, W] passes through unchanged,
// which lets a torchvision pipeline that starts with ToTensor() run as written.

#include "data/transforms/transform.h"

namespace nnscope::data {

class ToTensor : public Transform {
public:
    Tensor apply(const Tensor& image, Generator& gen,
                 std::vector<Drawn>* drawn = nullptr) const override;
    std::string name() const override { return "ToTensor"; }
    std::string repr() const override { return "ToTensor()"; }
};

} // namespace nnscope::data
