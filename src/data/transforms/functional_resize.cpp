// Resize as torchvision 0.14's tensor path does it: F.interpolate with align_corners=False and
// no antialias (aten's upsample_bilinear2d / upsample_nearest2d CPU kernels), computed in float32
// for integer images and rounded back half to even.

#include "data/transforms/cast.h"
#include "data/transforms/functional.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace nnscope::data::functional {

Tensor as_float(const Tensor& img) {
    if (img.dtype() == DType::Float32 || img.dtype() == DType::Float64) return img.contiguous();
    return img.to(DType::Float32).contiguous();
}

Tensor cast_back(const Tensor& result, DType dtype) {
    if (result.dtype() == dtype) return result;
    if (!is_floating_point(dtype) && dtype != DType::Bool) {
        Tensor r = result.contiguous();
        float* p = r.data_ptr<float>();
        for (std::int64_t i = 0; i < r.numel(); ++i)
            p[i] = std::nearbyint(p[i]);
        return r.to(dtype);
    }
    return result.to(dtype);
}

namespace {

template <class T>
void bilinear(const T* in, T* out, std::int64_t planes, std::int64_t ih, std::int64_t iw,
              std::int64_t oh, std::int64_t ow) {
    // area_pixel_compute_source_index: scale * (dst + 0.5) - 0.5, clamped at 0, in T.
    struct Tap {
        std::int64_t i0, i1;
        T l0, l1;
    };
    auto taps = [](std::int64_t in_size, std::int64_t out_size) {
        const T scale = static_cast<T>(in_size) / static_cast<T>(out_size);
        std::vector<Tap> t(static_cast<std::size_t>(out_size));
        for (std::int64_t d = 0; d < out_size; ++d) {
            T real = scale * (static_cast<T>(d) + T(0.5)) - T(0.5);
            if (real < 0) real = 0;
            const auto i0 = static_cast<std::int64_t>(real);
            const std::int64_t step = i0 < in_size - 1 ? 1 : 0;
            const T l1 = std::min(std::max(real - static_cast<T>(i0), T(0)), T(1));
            t[static_cast<std::size_t>(d)] = {i0, i0 + step, T(1) - l1, l1};
        }
        return t;
    };
    const auto ht = taps(ih, oh), wt = taps(iw, ow);
    for (std::int64_t p = 0; p < planes; ++p) {
        const T* src = in + p * ih * iw;
        for (const Tap& h : ht) {
            const T* r0 = src + h.i0 * iw;
            const T* r1 = src + h.i1 * iw;
            for (const Tap& w : wt) {
                const T top = r0[w.i0] * w.l0 + r0[w.i1] * w.l1;
                const T bottom = r1[w.i0] * w.l0 + r1[w.i1] * w.l1;
                *out++ = top * h.l0 + bottom * h.l1;
            }
        }
    }
}

// aten's nearest_idx: the same index when sizes agree, i / 2 when doubling, else
// min(floor(i * (float)in / out), in - 1) in float.
std::vector<std::int64_t> nearest_map(std::int64_t in_size, std::int64_t out_size) {
    std::vector<std::int64_t> m(static_cast<std::size_t>(out_size));
    const float scale = static_cast<float>(in_size) / static_cast<float>(out_size);
    for (std::int64_t d = 0; d < out_size; ++d) {
        if (out_size == in_size)
            m[static_cast<std::size_t>(d)] = d;
        else if (out_size == 2 * in_size)
            m[static_cast<std::size_t>(d)] = d >> 1;
        else
            m[static_cast<std::size_t>(d)] = std::min(
                static_cast<std::int64_t>(std::floor(static_cast<float>(d) * scale)), in_size - 1);
    }
    return m;
}

} // namespace

Tensor resize(const Tensor& img, std::int64_t height, std::int64_t width, Interpolation mode) {
    const ImageSize s = image_size(img);
    if (height <= 0 || width <= 0)
        throw std::invalid_argument("resize: output size must be positive, got " +
                                    std::to_string(height) + "x" + std::to_string(width));
    if (s.height == 0 || s.width == 0)
        throw std::invalid_argument("resize: the image is empty " + shape_to_string(img.shape()));
    const Tensor src = as_float(img);
    Shape shape = img.shape();
    shape[shape.size() - 2] = height;
    shape[shape.size() - 1] = width;
    Tensor out = Tensor::empty(shape, src.dtype());
    const std::int64_t planes = src.numel() / (s.height * s.width);
    if (mode == Interpolation::Bilinear) {
        dispatch_floating(src.dtype(), "resize", [&](auto t) {
            using T = decltype(t);
            bilinear<T>(src.data_ptr<T>(), out.data_ptr<T>(), planes, s.height, s.width, height,
                        width);
        });
    } else {
        const auto rows = nearest_map(s.height, height), cols = nearest_map(s.width, width);
        dispatch_floating(src.dtype(), "resize", [&](auto t) {
            using T = decltype(t);
            const T* in = src.data_ptr<T>();
            T* o = out.data_ptr<T>();
            for (std::int64_t p = 0; p < planes; ++p)
                for (auto r : rows)
                    for (auto c : cols)
                        *o++ = in[(p * s.height + r) * s.width + c];
        });
    }
    return cast_back(out, img.dtype());
}

std::vector<std::int64_t> resized_output_size(std::int64_t height, std::int64_t width,
                                              const std::vector<std::int64_t>& size,
                                              std::optional<std::int64_t> max_size) {
    if (size.size() == 2) {
        if (max_size)
            throw std::invalid_argument(
                "max_size should only be passed if size specifies the length of the smaller "
                "edge, i.e. size should be an int or a sequence of length 1 in torchscript mode.");
        return {size[0], size[1]};
    }
    if (size.size() != 1)
        throw std::invalid_argument("Size must be an int or a 1 or 2 element tuple/list, not a " +
                                    std::to_string(size.size()) + " element tuple/list");
    const bool w_short = width <= height;
    const std::int64_t shorter = w_short ? width : height, longer = w_short ? height : width;
    const std::int64_t requested = size[0];
    std::int64_t new_short = requested;
    // int(requested * long / short): Python's true division in double, truncated.
    std::int64_t new_long = static_cast<std::int64_t>(static_cast<double>(requested * longer) /
                                                      static_cast<double>(shorter));
    if (max_size) {
        if (*max_size <= requested)
            throw std::invalid_argument("max_size = " + std::to_string(*max_size) +
                                        " must be strictly greater than the requested size for "
                                        "the smaller edge size = [" +
                                        std::to_string(requested) + "]");
        if (new_long > *max_size) {
            new_short = static_cast<std::int64_t>(static_cast<double>(*max_size * new_short) /
                                                  static_cast<double>(new_long));
            new_long = *max_size;
        }
    }
    return w_short ? std::vector<std::int64_t>{new_long, new_short}
                   : std::vector<std::int64_t>{new_short, new_long};
}

} // namespace nnscope::data::functional
