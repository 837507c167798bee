#pragma once
// transforms.Normalize(mean, std, inplace=False): (x - mean) / std per channel.

#include "data/transforms/transform.h"
#include "engine/nn/value.h"

namespace nnscope::data {

class Normalize : public Transform {
public:
    // mean and std: a number or a sequence of numbers (one, or one per channel).
    Normalize(nn::Value mean, nn::Value std, bool inplace = false);
    Tensor apply(const Tensor& image, Generator& gen,
                 std::vector<Drawn>* drawn = nullptr) const override;
    std::string name() const override { return "Normalize"; }
    std::string repr() const override; // Normalize(mean=(0.1307,), std=(0.3081,))

private:
    nn::Value mean_given_, std_given_;
    std::vector<double> mean_, std_;
    bool inplace_;
};

} // namespace nnscope::data
