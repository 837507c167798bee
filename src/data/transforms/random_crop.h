#pragma once
// transforms.RandomCrop(size, padding=None, pad_if_needed=False, fill=0,
// padding_mode="constant"): pads, then crops at a random offset drawn as get_params does:
// top = torch.randint(0, h - th + 1, (1,)), then left = torch.randint(0, w - tw + 1, (1,)),
// nothing drawn when the image already has the crop's size.

#include "data/transforms/functional.h"
#include "data/transforms/transform.h"
#include "engine/nn/value.h"

namespace nnscope::data {

class RandomCrop : public Transform {
public:
    // padding: None, n, [lr, tb] or [l, t, r, b], non-negative (torchvision would crop for a
    // negative one; nnscope refuses it). fill: a number (the tensor path takes no sequence).
    explicit RandomCrop(nn::Value size, nn::Value padding = {}, bool pad_if_needed = false,
                        nn::Value fill = 0, const std::string& padding_mode = "constant");
    Tensor apply(const Tensor& image, Generator& gen,
                 std::vector<Drawn>* drawn = nullptr) const override;
    std::string name() const override { return "RandomCrop"; }
    std::string repr() const override; // RandomCrop(size=(28, 28), padding=4)

    // get_params: (top, left) for a crop of th x tw from an image of h x w.
    static std::pair<std::int64_t, std::int64_t>
    get_params(std::int64_t h, std::int64_t w, std::int64_t th, std::int64_t tw, Generator& gen);

private:
    std::vector<std::int64_t> size_; // h, w
    nn::Value padding_given_;
    std::vector<std::int64_t> padding_; // left, top, right, bottom; empty for None
    bool pad_if_needed_;
    double fill_;
    functional::PaddingMode mode_;
};

} // namespace nnscope::data
