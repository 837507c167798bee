#include "workflows/image_input.h"

#include "data/image_file.h"
#include "data/transforms/functional.h"
#include "data/transforms/resize_antialias.h"

#include <stdexcept>

namespace nnscope::workflows {

namespace fn = data::functional;

ImagePreprocess image_preset(std::string_view name) {
    if (name == "imagenet") return {256, 224, {0.485, 0.456, 0.406}, {0.229, 0.224, 0.225}};
    if (name == "none") return {};
    std::string known;
    for (const auto& n : image_preset_names())
        known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown preset '" + std::string(name) + "' (known: " + known +
                                ")");
}

std::vector<std::string> image_preset_names() {
    return {"imagenet", "none"};
}

Tensor image_channels(const Tensor& image, std::int64_t channels) {
    if (image.dtype() != DType::UInt8 || image.dim() != 3 ||
        (image.size(0) != 1 && image.size(0) != 3 && image.size(0) != 4))
        throw std::invalid_argument("an image must be uint8 [C, H, W] with 1, 3 or 4 channels, "
                                    "got " +
                                    std::string(dtype_name(image.dtype())) + " " +
                                    shape_to_string(image.shape()));
    if (channels != 1 && channels != 3)
        throw std::invalid_argument("a model's image input has 1 or 3 channels, not " +
                                    std::to_string(channels));
    const std::int64_t c = image.size(0);
    if (channels == 3) {
        if (c == 1) return image.expand({3, image.size(1), image.size(2)}).contiguous();
        return image.narrow(0, 0, 3).contiguous();
    }
    if (c == 1) return image.contiguous();
    // PIL's L = (R * 19595 + G * 38470 + B * 7471 + 0x8000) >> 16.
    const Tensor rgb = image.narrow(0, 0, 3).contiguous();
    const std::uint8_t* p = rgb.data_ptr<std::uint8_t>();
    const std::int64_t n = image.size(1) * image.size(2);
    Tensor grey = Tensor::empty({1, image.size(1), image.size(2)}, DType::UInt8);
    std::uint8_t* g = grey.data_ptr<std::uint8_t>();
    for (std::int64_t i = 0; i < n; ++i)
        g[i] = static_cast<std::uint8_t>(
            (p[i] * 19595u + p[n + i] * 38470u + p[2 * n + i] * 7471u + 0x8000u) >> 16);
    return grey;
}

Tensor resize_and_crop(const Tensor& image, const ImagePreprocess& pre) {
    Tensor img = image;
    if (pre.resize > 0) {
        const auto size = fn::resized_output_size(img.size(-2), img.size(-1), {pre.resize}, {});
        img = fn::resize_antialias(img, size[0], size[1]);
    }
    if (pre.crop > 0) img = fn::center_crop(img, pre.crop, pre.crop);
    return img.contiguous();
}

Tensor image_input(const Tensor& image, const ImagePreprocess& pre, std::int64_t channels) {
    const Tensor img = resize_and_crop(image_channels(image, channels), pre);
    auto per_channel = [&](const std::vector<double>& v, const char* what) {
        if (v.size() == 1) return std::vector<double>(static_cast<std::size_t>(channels), v[0]);
        if (v.size() != static_cast<std::size_t>(channels))
            throw std::invalid_argument(std::string(what) + " has " + std::to_string(v.size()) +
                                        " values; the input has " + std::to_string(channels) +
                                        " channels (give one value or one per channel)");
        return v;
    };
    const auto mean = per_channel(pre.mean, "mean");
    const auto std = per_channel(pre.std, "std");
    for (double s : std)
        if (s == 0) throw std::invalid_argument("std must not be 0");
    Tensor x = img.to(DType::Float32);
    x = fn::normalize(x.contiguous(), {0.0}, {255.0}); // ToTensor's division by 255
    x = fn::normalize(x, mean, std);
    return x.unsqueeze(0).contiguous();
}

Tensor image_file_input(const std::string& path, const ImagePreprocess& pre,
                        std::int64_t channels) {
    return image_input(data::read_image(path), pre, channels);
}

} // namespace nnscope::workflows
