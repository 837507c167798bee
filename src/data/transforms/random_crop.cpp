#include "data/transforms/random_crop.h"

#include "data/transforms/arguments.h"
#include "engine/random.h"

#include <stdexcept>

namespace nnscope::data {

using nn::Value;

RandomCrop::RandomCrop(Value size, Value padding, bool pad_if_needed, Value fill,
                       const std::string& padding_mode)
    : size_(transforms::setup_size(size, "RandomCrop"))
    , padding_given_(std::move(padding))
    , pad_if_needed_(pad_if_needed)
    , mode_(functional::padding_mode_from_name(padding_mode)) {
    if (!padding_given_.is_none()) {
        if (!padding_given_.is_int() && !padding_given_.is_list())
            throw std::invalid_argument("RandomCrop: Got inappropriate padding arg " +
                                        padding_given_.repr());
        const auto p = transforms::int_list(padding_given_, "RandomCrop: padding");
        // _parse_pad_padding, reordered to left, top, right, bottom.
        if (p.size() == 1)
            padding_ = {p[0], p[0], p[0], p[0]};
        else if (p.size() == 2)
            padding_ = {p[0], p[1], p[0], p[1]};
        else if (p.size() == 4)
            padding_ = p;
        else
            throw std::invalid_argument("RandomCrop: Padding must be an int or a 1, 2, or 4 "
                                        "element tuple, not a " +
                                        std::to_string(p.size()) + " element tuple");
        for (auto x : padding_)
            if (x < 0)
                throw std::invalid_argument("RandomCrop: padding must be non-negative, got " +
                                            padding_given_.repr());
    }
    if (!fill.is_number())
        throw std::invalid_argument("RandomCrop: Got inappropriate fill arg " + fill.repr() +
                                    " (a number for tensor images)");
    fill_ = fill.as_double();
}

std::pair<std::int64_t, std::int64_t> RandomCrop::get_params(std::int64_t h, std::int64_t w,
                                                             std::int64_t th, std::int64_t tw,
                                                             Generator& gen) {
    if (h < th || w < tw)
        throw std::invalid_argument("Required crop size (" + std::to_string(th) + ", " +
                                    std::to_string(tw) + ") is larger than input image size (" +
                                    std::to_string(h) + ", " + std::to_string(w) + ")");
    if (w == tw && h == th) return {0, 0};
    const std::int64_t i = randint(0, h - th + 1, {1}, gen).to_int64_vector()[0];
    const std::int64_t j = randint(0, w - tw + 1, {1}, gen).to_int64_vector()[0];
    return {i, j};
}

Tensor RandomCrop::apply(const Tensor& image, Generator& gen, std::vector<Drawn>* drawn) const {
    Tensor img = image;
    if (!padding_.empty())
        img =
            functional::pad(img, padding_[0], padding_[1], padding_[2], padding_[3], fill_, mode_);
    auto s = functional::image_size(img);
    // Width first, then height, each padded on both sides, as torchvision's forward does.
    if (pad_if_needed_ && s.width < size_[1]) {
        const std::int64_t p = size_[1] - s.width;
        img = functional::pad(img, p, 0, p, 0, fill_, mode_);
        s = functional::image_size(img);
    }
    if (pad_if_needed_ && s.height < size_[0]) {
        const std::int64_t p = size_[0] - s.height;
        img = functional::pad(img, 0, p, 0, p, fill_, mode_);
        s = functional::image_size(img);
    }
    const auto [top, left] = get_params(s.height, s.width, size_[0], size_[1], gen);
    if (drawn) drawn->push_back({"RandomCrop", {{"top", top}, {"left", left}}});
    return functional::crop(img, top, left, size_[0], size_[1]);
}

std::string RandomCrop::repr() const {
    return "RandomCrop(size=(" + std::to_string(size_[0]) + ", " + std::to_string(size_[1]) +
           "), padding=" + padding_given_.repr() + ")";
}

} // namespace nnscope::data
