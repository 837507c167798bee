#pragma once
// transforms.RandomRotation(degrees, interpolation=NEAREST, expand=False, center=None, fill=0):
// rotates by an angle drawn as get_params does,
// float(torch.empty(1).uniform_(degrees[0], degrees[1]).item()), i.e. a float32 draw.

#include "data/transforms/functional.h"
#include "data/transforms/transform.h"
#include "engine/nn/value.h"

#include <optional>

namespace nnscope::data {

class RandomRotation : public Transform {
public:
    // degrees: d >= 0 (meaning [-d, d]) or [min, max]. center: None or [x, y] in pixels.
    // fill: a number or one per channel.
    explicit RandomRotation(nn::Value degrees,
                            nn::Value interpolation = nn::EnumMember{"InterpolationMode",
                                                                     "NEAREST"},
                            bool expand = false, nn::Value center = {}, nn::Value fill = 0);
    Tensor apply(const Tensor& image, Generator& gen,
                 std::vector<Drawn>* drawn = nullptr) const override;
    std::string name() const override { return "RandomRotation"; }
    std::string repr() const override;

    static double get_params(double min_degrees, double max_degrees, Generator& gen);

private:
    double min_, max_;
    functional::Interpolation mode_;
    bool expand_;
    nn::Value center_given_, fill_given_;
    std::optional<std::vector<double>> center_;
    std::vector<double> fill_;
};

} // namespace nnscope::data
