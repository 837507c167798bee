#pragma once
// transforms.Resize(size, interpolation=BILINEAR, max_size=None, antialias=None) on tensors:
// size n matches the smaller edge (keeping the aspect ratio, capped by max_size), (h, w) is
// exact. antialias=True is refused: nnscope follows the tensor path without antialias.

#include "data/transforms/functional.h"
#include "data/transforms/transform.h"
#include "engine/nn/value.h"

#include <optional>

namespace nnscope::data {

class Resize : public Transform {
public:
    explicit Resize(nn::Value size,
                    nn::Value interpolation = nn::EnumMember{"InterpolationMode", "BILINEAR"},
                    nn::Value max_size = {}, nn::Value antialias = {});
    Tensor apply(const Tensor& image, Generator& gen,
                 std::vector<Drawn>* drawn = nullptr) const override;
    std::string name() const override { return "Resize"; }
    std::string repr() const override;

private:
    nn::Value size_given_, antialias_given_;
    std::vector<std::int64_t> size_;
    functional::Interpolation mode_;
    std::optional<std::int64_t> max_size_;
};

} // namespace nnscope::data
