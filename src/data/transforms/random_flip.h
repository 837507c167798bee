#pragma once
// transforms.RandomHorizontalFlip(p=0.5) and RandomVerticalFlip(p=0.5): flip when
// torch.rand(1) < p (one float32 draw per application, whatever p is). p outside [0, 1] is
// refused (torchvision accepts it silently).

#include "data/transforms/transform.h"
#include "engine/nn/value.h"

namespace nnscope::data {

class RandomFlip : public Transform {
public:
    enum class Axis { Horizontal, Vertical };
    RandomFlip(Axis axis, const nn::Value& p);
    Tensor apply(const Tensor& image, Generator& gen,
                 std::vector<Drawn>* drawn = nullptr) const override;
    std::string name() const override;
    std::string repr() const override; // RandomHorizontalFlip(p=0.5)

    // torch.rand(1) < p, the comparison in float32 as torch does it.
    static bool draw(double p, Generator& gen);

private:
    Axis axis_;
    nn::Value p_given_;
    double p_;
};

class RandomHorizontalFlip : public RandomFlip {
public:
    RandomHorizontalFlip()
        : RandomFlip(Axis::Horizontal, 0.5) {}
    explicit RandomHorizontalFlip(const nn::Value& p)
        : RandomFlip(Axis::Horizontal, p) {}
};

class RandomVerticalFlip : public RandomFlip {
public:
    RandomVerticalFlip()
        : RandomFlip(Axis::Vertical, 0.5) {}
    explicit RandomVerticalFlip(const nn::Value& p)
        : RandomFlip(Axis::Vertical, p) {}
};

} // namespace nnscope::data
