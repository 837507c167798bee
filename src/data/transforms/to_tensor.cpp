#include "data/transforms/to_tensor.h"

#include "data/transforms/functional.h"

namespace nnscope::data {

Tensor ToTensor::apply(const Tensor& image, Generator&, std::vector<Drawn>*) const {
    if (image.defined() && image.is_floating_point() && image.dim() == 3) return image;
    return functional::to_tensor(image);
}

} // namespace nnscope::data
