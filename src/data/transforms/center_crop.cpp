#include "data/transforms/center_crop.h"

#include "data/transforms/arguments.h"
#include "data/transforms/functional.h"

namespace nnscope::data {

CenterCrop::CenterCrop(nn::Value size)
    : size_given_(std::move(size))
    , size_(transforms::setup_size(size_given_, "CenterCrop")) {}

Tensor CenterCrop::apply(const Tensor& image, Generator&, std::vector<Drawn>*) const {
    return functional::center_crop(image, size_[0], size_[1]);
}

std::string CenterCrop::repr() const {
    // _setup_size gives a tuple for a number or a one-element sequence, else the sequence given.
    using nn::Value;
    const bool as_given = size_given_.is_list() && size_given_.as_list().size() == 2;
    const Value shown = as_given ? size_given_ : Value::tuple({Value(size_[0]), Value(size_[1])});
    return "CenterCrop(size=" + shown.repr() + ")";
}

} // namespace nnscope::data
