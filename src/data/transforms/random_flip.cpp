#include "data/transforms/random_flip.h"

#include "data/transforms/arguments.h"
#include "data/transforms/functional.h"
#include "engine/random.h"

namespace nnscope::data {

RandomFlip::RandomFlip(Axis axis, const nn::Value& p)
    : axis_(axis)
    , p_given_(p)
    , p_(transforms::probability_arg(p_given_, name())) {}

std::string RandomFlip::name() const {
    return axis_ == Axis::Horizontal ? "RandomHorizontalFlip" : "RandomVerticalFlip";
}

bool RandomFlip::draw(double p, Generator& gen) {
    const float r = static_cast<float>(rand({1}, gen).item());
    return r < static_cast<float>(p);
}

Tensor RandomFlip::apply(const Tensor& image, Generator& gen, std::vector<Drawn>* drawn) const {
    functional::image_size(image); // torchvision's _assert_image_tensor, before drawing
    const bool flipped = draw(p_, gen);
    if (drawn) drawn->push_back({name(), {{"flipped", flipped}}});
    if (!flipped) return image;
    return axis_ == Axis::Horizontal ? functional::hflip(image) : functional::vflip(image);
}

std::string RandomFlip::repr() const {
    return name() + "(p=" + p_given_.repr() + ")";
}

} // namespace nnscope::data
