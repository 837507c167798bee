#include "data/png_file.h"

#include <algorithm>
#include <cmath>
#include <png.h>
#include <stdexcept>
#include <vector>

namespace nnscope::data {

namespace {

png_uint_32 format_of(std::int64_t channels) {
    switch (channels) {
    case 1:
        return PNG_FORMAT_GRAY;
    case 3:
        return PNG_FORMAT_RGB;
    default:
        return PNG_FORMAT_RGBA;
    }
}

} // namespace

std::string encode_png(const Tensor& image) {
    if (!image.defined() || image.dtype() != DType::UInt8 || (image.dim() != 2 && image.dim() != 3))
        throw std::invalid_argument("encode_png: expected a uint8 image [H, W] or [C, H, W], got " +
                                    (image.defined() ? std::string(dtype_name(image.dtype())) +
                                                           " " + shape_to_string(image.shape())
                                                     : std::string("an undefined tensor")));
    const Tensor chw = image.dim() == 2 ? image.unsqueeze(0) : image;
    const std::int64_t c = chw.size(0), h = chw.size(1), w = chw.size(2);
    if (c != 1 && c != 3 && c != 4)
        throw std::invalid_argument("encode_png: an image needs 1, 3 or 4 channels, got " +
                                    std::to_string(c));
    if (h <= 0 || w <= 0 || h > 0x7fffffff || w > 0x7fffffff)
        throw std::invalid_argument("encode_png: cannot store an image of " +
                                    shape_to_string(chw.shape()));
    // PNG interleaves channels: [H, W, C].
    const Tensor hwc = chw.permute({1, 2, 0}).contiguous();
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    png.width = static_cast<png_uint_32>(w);
    png.height = static_cast<png_uint_32>(h);
    png.format = format_of(c);
    // The first call measures, the second writes.
    png_alloc_size_t size = 0;
    std::string bytes;
    for (int pass = 0; pass < 2; ++pass) {
        if (!png_image_write_to_memory(&png, pass == 0 ? nullptr : bytes.data(), &size, 0,
                                       hwc.data_ptr<std::uint8_t>(), 0, nullptr)) {
            const std::string why = png.message;
            png_image_free(&png);
            throw std::runtime_error("cannot encode PNG: " + why);
        }
        bytes.resize(size);
    }
    return bytes;
}

Tensor read_png(const std::string& path) {
    png_image png{};
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&png, path.c_str()))
        throw std::runtime_error("cannot read PNG '" + path + "': " + png.message);
    const bool colour = (png.format & PNG_FORMAT_FLAG_COLOR) != 0;
    const bool alpha = (png.format & PNG_FORMAT_FLAG_ALPHA) != 0;
    const std::int64_t c = alpha ? 4 : colour ? 3 : 1;
    png.format = format_of(c);
    const std::int64_t h = png.height, w = png.width;
    Tensor hwc = Tensor::empty({h, w, c}, DType::UInt8);
    if (!png_image_finish_read(&png, nullptr, hwc.data_ptr<std::uint8_t>(), 0, nullptr)) {
        const std::string why = png.message;
        png_image_free(&png);
        throw std::runtime_error("cannot read PNG '" + path + "': " + why);
    }
    return hwc.permute({2, 0, 1}).contiguous();
}

Tensor to_display_uint8(const Tensor& image, bool* stretched) {
    if (stretched) *stretched = false;
    if (!image.defined() || image.dim() < 2)
        throw std::invalid_argument("to_display_uint8: expected an image [H, W] or [C, H, W]");
    Tensor chw = image.dim() == 2 ? image.unsqueeze(0) : image;
    if (chw.dim() != 3)
        throw std::invalid_argument("to_display_uint8: expected an image [H, W] or [C, H, W], "
                                    "got " +
                                    shape_to_string(image.shape()));
    if (chw.dtype() == DType::UInt8) return chw.contiguous();
    const auto v = chw.to_vector();
    double lo = 0, hi = 1;
    if (chw.is_floating_point() && !v.empty()) {
        const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
        if (*mn < 0 || *mx > 1) {
            lo = *mn;
            hi = *mx > *mn ? *mx : *mn + 1;
            if (stretched) *stretched = true;
        }
    }
    std::vector<double> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        const double x = chw.is_floating_point() ? (v[i] - lo) / (hi - lo) * 255.0 : v[i];
        out[i] = std::clamp(std::nearbyint(std::isnan(x) ? 0.0 : x), 0.0, 255.0);
    }
    return Tensor::from_vector(out, chw.shape(), DType::UInt8);
}

} // namespace nnscope::data
