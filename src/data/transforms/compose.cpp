#include "data/transforms/compose.h"

#include <stdexcept>

namespace nnscope::data {

Compose::Compose(std::vector<TransformPtr> transforms)
    : transforms_(std::move(transforms)) {
    for (const auto& t : transforms_)
        if (!t) throw std::invalid_argument("Compose: a transform is null");
}

Tensor Compose::apply(const Tensor& image, Generator& gen, std::vector<Drawn>* drawn) const {
    Tensor img = image;
    for (const auto& t : transforms_)
        img = t->apply(img, gen, drawn);
    return img;
}

std::string Compose::repr() const {
    std::string out = "Compose(";
    for (const auto& t : transforms_)
        out += "\n    " + t->repr();
    return out + "\n)";
}

} // namespace nnscope::data
