#include "data/transforms/resize.h"

#include "data/transforms/arguments.h"

#include <stdexcept>

namespace nnscope::data {

using nn::Value;

Resize::Resize(Value size, Value interpolation, Value max_size, Value antialias)
    : size_given_(std::move(size))
    , antialias_given_(std::move(antialias))
    , mode_(transforms::interpolation_arg(interpolation, "Resize")) {
    if (size_given_.is_int()) {
        size_ = {size_given_.as_int()};
    } else if (size_given_.is_list()) {
        size_ = transforms::int_list(size_given_, "Resize: size");
        if (size_.size() != 1 && size_.size() != 2)
            throw std::invalid_argument("Resize: If size is a sequence, it should have 1 or 2 "
                                        "values, got " +
                                        size_given_.repr());
    } else {
        throw std::invalid_argument("Resize: Size should be int or sequence. Got " +
                                    size_given_.type_name());
    }
    for (auto s : size_)
        if (s <= 0)
            throw std::invalid_argument("Resize: size must be positive, got " + size_given_.repr());
    if (!max_size.is_none()) {
        max_size_ = max_size.as_int();
        if (size_.size() != 1)
            throw std::invalid_argument(
                "Resize: max_size should only be passed if size specifies the length of the "
                "smaller edge, i.e. size should be an int or a sequence of length 1 in "
                "torchscript mode.");
        if (*max_size_ <= size_[0])
            throw std::invalid_argument("Resize: max_size = " + std::to_string(*max_size_) +
                                        " must be strictly greater than the requested size for "
                                        "the smaller edge size = " +
                                        size_given_.repr());
    }
    if (!antialias_given_.is_none() && antialias_given_.as_bool())
        throw std::invalid_argument("Resize: antialias=True is not supported; nnscope follows "
                                    "torchvision's tensor path without antialias");
}

Tensor Resize::apply(const Tensor& image, Generator&, std::vector<Drawn>*) const {
    const auto s = functional::image_size(image);
    const auto out = functional::resized_output_size(s.height, s.width, size_, max_size_);
    if (out[0] == s.height && out[1] == s.width) return image; // F.resize returns img as is
    return functional::resize(image, out[0], out[1], mode_);
}

std::string Resize::repr() const {
    return "Resize(size=" + size_given_.repr() +
           ", interpolation=" + functional::interpolation_name(mode_) +
           ", max_size=" + (max_size_ ? std::to_string(*max_size_) : "None") +
           ", antialias=" + antialias_given_.repr() + ")";
}

} // namespace nnscope::data
