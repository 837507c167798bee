// Pad, crop and flip: each output pixel is one input pixel or the fill value, so one byte-copying
// kernel over a row map and a column map serves them all, for every dtype.

#include "data/transforms/functional.h"

#include <cstring>
#include <stdexcept>

namespace nnscope::data::functional {

namespace {

using Map = std::vector<std::int64_t>; // output position -> input position, -1 for the fill

Tensor remap(const Tensor& img, const Map& rows, const Map& cols, double fill) {
    const ImageSize s = image_size(img);
    const Tensor src = img.contiguous();
    Shape shape = img.shape();
    shape[shape.size() - 2] = static_cast<std::int64_t>(rows.size());
    shape[shape.size() - 1] = static_cast<std::int64_t>(cols.size());
    Tensor out = Tensor::empty(shape, img.dtype());
    const std::size_t es = element_size(img.dtype());
    const Tensor fill_t = Tensor::full({1}, fill, img.dtype());
    const auto* fill_bytes = static_cast<const unsigned char*>(fill_t.raw_data());
    const std::int64_t planes = s.height * s.width == 0 ? 0 : src.numel() / (s.height * s.width);
    const auto* in = static_cast<const unsigned char*>(src.raw_data());
    auto* o = static_cast<unsigned char*>(out.raw_data());
    for (std::int64_t p = 0; p < planes; ++p) {
        const unsigned char* plane = in + static_cast<std::size_t>(p * s.height * s.width) * es;
        for (const std::int64_t r : rows) {
            for (const std::int64_t c : cols) {
                const unsigned char* from =
                    r < 0 || c < 0 ? fill_bytes
                                   : plane + static_cast<std::size_t>(r * s.width + c) * es;
                std::memcpy(o, from, es);
                o += es;
            }
        }
    }
    return out;
}

// The input index for output position i of an axis of extent n padded by `before` and `after`.
Map pad_map(std::int64_t n, std::int64_t before, std::int64_t after, PaddingMode mode) {
    Map m;
    for (std::int64_t i = -before; i < n + after; ++i) {
        if (i >= 0 && i < n) {
            m.push_back(i);
            continue;
        }
        switch (mode) {
        case PaddingMode::Constant:
            m.push_back(-1);
            break;
        case PaddingMode::Edge:
            m.push_back(i < 0 ? 0 : n - 1);
            break;
        case PaddingMode::Reflect: // mirror without repeating the edge: 2 1 | 0 1 2 | 1 0
            m.push_back(i < 0 ? -i : 2 * (n - 1) - i);
            break;
        case PaddingMode::Symmetric: // mirror repeating the edge: 1 0 | 0 1 2 | 2 1
            m.push_back(i < 0 ? -i - 1 : 2 * n - 1 - i);
            break;
        }
    }
    return m;
}

} // namespace

ImageSize image_size(const Tensor& img) {
    if (!img.defined() || img.dim() < 2)
        throw std::invalid_argument("Tensor is not a torch image: expected at least 2 dimensions "
                                    "[..., H, W], got " +
                                    (img.defined() ? shape_to_string(img.shape()) : "undefined"));
    return {img.dim() == 2 ? 1 : img.size(-3), img.size(-2), img.size(-1)};
}

Interpolation interpolation_from_name(const std::string& name) {
    if (name == "nearest") return Interpolation::Nearest;
    if (name == "bilinear") return Interpolation::Bilinear;
    throw std::invalid_argument("Interpolation mode '" + name +
                                "' is unsupported with Tensor input (nearest, bilinear)");
}

const char* interpolation_name(Interpolation mode) {
    return mode == Interpolation::Nearest ? "nearest" : "bilinear";
}

PaddingMode padding_mode_from_name(const std::string& name) {
    if (name == "constant") return PaddingMode::Constant;
    if (name == "edge") return PaddingMode::Edge;
    if (name == "reflect") return PaddingMode::Reflect;
    if (name == "symmetric") return PaddingMode::Symmetric;
    throw std::invalid_argument("Padding mode should be either constant, edge, reflect or "
                                "symmetric, got '" +
                                name + "'");
}

const char* padding_mode_name(PaddingMode mode) {
    switch (mode) {
    case PaddingMode::Constant:
        return "constant";
    case PaddingMode::Edge:
        return "edge";
    case PaddingMode::Reflect:
        return "reflect";
    default:
        return "symmetric";
    }
}

Tensor pad(const Tensor& img, std::int64_t left, std::int64_t top, std::int64_t right,
           std::int64_t bottom, double fill, PaddingMode mode) {
    const ImageSize s = image_size(img);
    if (left < 0 || top < 0 || right < 0 || bottom < 0)
        throw std::invalid_argument("pad: padding must be non-negative, got [" +
                                    std::to_string(left) + ", " + std::to_string(top) + ", " +
                                    std::to_string(right) + ", " + std::to_string(bottom) + "]");
    auto check = [&](std::int64_t before, std::int64_t after, std::int64_t n, const char* axis) {
        if (mode == PaddingMode::Reflect && (before >= n || after >= n))
            throw std::invalid_argument(
                std::string("pad: reflect padding must be less than the image ") + axis + " (" +
                std::to_string(n) + "), got " + std::to_string(before) + " and " +
                std::to_string(after));
        if (mode == PaddingMode::Symmetric && (before > n || after > n))
            throw std::invalid_argument(
                std::string("pad: symmetric padding must be at most the image ") + axis + " (" +
                std::to_string(n) + "), got " + std::to_string(before) + " and " +
                std::to_string(after));
        if (mode == PaddingMode::Edge && n == 0 && before + after > 0)
            throw std::invalid_argument(std::string("pad: edge padding of an empty ") + axis);
    };
    check(left, right, s.width, "width");
    check(top, bottom, s.height, "height");
    return remap(img, pad_map(s.height, top, bottom, mode), pad_map(s.width, left, right, mode),
                 fill);
}

Tensor crop(const Tensor& img, std::int64_t top, std::int64_t left, std::int64_t height,
            std::int64_t width) {
    const ImageSize s = image_size(img);
    if (height < 0 || width < 0)
        throw std::invalid_argument("crop: negative size " + std::to_string(height) + "x" +
                                    std::to_string(width));
    Map rows, cols;
    for (std::int64_t r = top; r < top + height; ++r)
        rows.push_back(r >= 0 && r < s.height ? r : -1);
    for (std::int64_t c = left; c < left + width; ++c)
        cols.push_back(c >= 0 && c < s.width ? c : -1);
    return remap(img, rows, cols, 0.0);
}

Tensor center_crop(const Tensor& img, std::int64_t height, std::int64_t width) {
    const ImageSize s = image_size(img);
    // torchvision pads with zeros (left/top get the smaller half), then crops at
    // int(round((H - h) / 2)), Python's round half to even.
    const std::int64_t ph = std::max<std::int64_t>(height, s.height);
    const std::int64_t pw = std::max<std::int64_t>(width, s.width);
    const std::int64_t pad_top = (ph - s.height) / 2, pad_left = (pw - s.width) / 2;
    auto round_half_even = [](std::int64_t twice) { // round(twice / 2)
        const std::int64_t q = twice >= 0 ? twice / 2 : -((-twice) / 2);
        if (twice % 2 == 0) return q;
        const std::int64_t lo = twice > 0 ? q : q - 1; // floor(twice / 2)
        return lo % 2 == 0 ? lo : lo + 1;
    };
    const std::int64_t top = round_half_even(ph - height) - pad_top;
    const std::int64_t left = round_half_even(pw - width) - pad_left;
    return crop(img, top, left, height, width);
}

Tensor hflip(const Tensor& img) {
    const ImageSize s = image_size(img);
    Map rows, cols;
    for (std::int64_t r = 0; r < s.height; ++r)
        rows.push_back(r);
    for (std::int64_t c = s.width - 1; c >= 0; --c)
        cols.push_back(c);
    return remap(img, rows, cols, 0.0);
}

Tensor vflip(const Tensor& img) {
    const ImageSize s = image_size(img);
    Map rows, cols;
    for (std::int64_t r = s.height - 1; r >= 0; --r)
        rows.push_back(r);
    for (std::int64_t c = 0; c < s.width; ++c)
        cols.push_back(c);
    return remap(img, rows, cols, 0.0);
}

} // namespace nnscope::data::functional
