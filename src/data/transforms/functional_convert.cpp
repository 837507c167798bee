// ToTensor's conversion and Normalize's arithmetic.

#include "data/transforms/functional.h"

#include <stdexcept>

namespace nnscope::data::functional {

Tensor to_tensor(const Tensor& pic) {
    if (!pic.defined() || (pic.dim() != 2 && pic.dim() != 3))
        throw std::invalid_argument("pic should be 2/3 dimensional. Got " +
                                    (pic.defined() ? std::to_string(pic.dim()) + " dimensions: " +
                                                         shape_to_string(pic.shape())
                                                   : std::string("an undefined tensor")));
    Tensor hwc = pic.dim() == 2 ? pic.unsqueeze(2) : pic;
    Tensor chw = hwc.permute({2, 0, 1}).contiguous();
    if (pic.dtype() != DType::UInt8) return chw;
    // img.to(float32).div(255): a float division per element.
    Tensor out = Tensor::empty(chw.shape(), DType::Float32);
    const std::uint8_t* in = chw.data_ptr<std::uint8_t>();
    float* o = out.data_ptr<float>();
    for (std::int64_t i = 0; i < chw.numel(); ++i)
        o[i] = static_cast<float>(in[i]) / 255.0f;
    return out;
}

namespace {

template <class T>
void normalize_kernel(T* data, std::int64_t planes, std::int64_t pixels, std::int64_t channels,
                      const std::vector<T>& mean, const std::vector<T>& stdev) {
    for (std::int64_t p = 0; p < planes; ++p) {
        const std::size_t c = static_cast<std::size_t>(p % channels);
        const T m = mean.size() == 1 ? mean[0] : mean[c];
        const T s = stdev.size() == 1 ? stdev[0] : stdev[c];
        T* x = data + p * pixels;
        for (std::int64_t i = 0; i < pixels; ++i)
            x[i] = (x[i] - m) / s; // sub_ then div_, each rounded to T
    }
}

} // namespace

Tensor normalize(const Tensor& img, const std::vector<double>& mean, const std::vector<double>& std,
                 bool inplace) {
    if (!img.defined() || !img.is_floating_point())
        throw std::invalid_argument(
            "Input tensor should be a float tensor. Got " +
            (img.defined() ? std::string(dtype_name(img.dtype())) : std::string("undefined")) +
            ".");
    if (img.dim() < 3)
        throw std::invalid_argument("Expected tensor to be a tensor image of size (..., C, H, W). "
                                    "Got tensor.size() = " +
                                    shape_to_string(img.shape()));
    const std::int64_t c = img.size(-3);
    auto check_len = [&](const std::vector<double>& v, const char* what) {
        if (v.size() != 1 && static_cast<std::int64_t>(v.size()) != c)
            throw std::invalid_argument(std::string("Normalize: ") + what + " has " +
                                        std::to_string(v.size()) + " values, the image has " +
                                        std::to_string(c) +
                                        " channels (give one value or one per channel)");
    };
    check_len(mean, "mean");
    check_len(std, "std");
    // In place only on a contiguous image; a strided one is normalised into a copy.
    Tensor out = inplace && img.is_contiguous() ? img : img.clone();
    const std::int64_t pixels = img.size(-1) * img.size(-2);
    const std::int64_t planes = pixels == 0 ? 0 : img.numel() / pixels;
    dispatch_floating(img.dtype(), "normalize", [&](auto t) {
        using T = decltype(t);
        std::vector<T> m, s;
        for (double v : mean)
            m.push_back(static_cast<T>(v));
        for (double v : std) {
            s.push_back(static_cast<T>(v));
            if (s.back() == T(0))
                throw std::invalid_argument("std evaluated to zero after conversion to " +
                                            std::string(dtype_name(img.dtype())) +
                                            ", leading to division by zero.");
        }
        normalize_kernel<T>(out.data_ptr<T>(), planes, pixels, c, m, s);
    });
    return out;
}

} // namespace nnscope::data::functional
