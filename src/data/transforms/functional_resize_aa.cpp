#include "data/transforms/cast.h"
#include "data/transforms/functional.h"
#include "data/transforms/resize_antialias.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace nnscope::data::functional {

namespace {

// The taps of one output index along an axis: aten's _compute_indices_weights_aa.
struct Taps {
    std::int64_t first = 0;
    std::vector<double> weights;
};

std::vector<Taps> antialias_taps(std::int64_t in_size, std::int64_t out_size) {
    const double scale = static_cast<double>(in_size) / static_cast<double>(out_size);
    const double support = scale >= 1.0 ? scale : 1.0; // bilinear: interp_size / 2 = 1
    const double invscale = scale >= 1.0 ? 1.0 / scale : 1.0;
    std::vector<Taps> taps(static_cast<std::size_t>(out_size));
    for (std::int64_t i = 0; i < out_size; ++i) {
        const double center = scale * (static_cast<double>(i) + 0.5);
        const std::int64_t lo =
            std::max<std::int64_t>(static_cast<std::int64_t>(center - support + 0.5), 0);
        const std::int64_t hi =
            std::min<std::int64_t>(static_cast<std::int64_t>(center + support + 0.5), in_size);
        Taps& t = taps[static_cast<std::size_t>(i)];
        t.first = lo;
        double total = 0;
        for (std::int64_t j = lo; j < hi; ++j) {
            const double x = std::abs((static_cast<double>(j) - center + 0.5) * invscale);
            const double w = x < 1.0 ? 1.0 - x : 0.0;
            t.weights.push_back(w);
            total += w;
        }
        if (total != 0)
            for (double& w : t.weights)
                w /= total;
    }
    return taps;
}

// out[p, o, k] = sum_j w[o][j] * in[p, first(o) + j, k] over `planes` planes, `inner` values
// across the axis.
template <class T>
void pass(const T* in, T* out, std::int64_t planes, std::int64_t inner, std::int64_t inner_stride,
          std::int64_t axis_stride, const std::vector<Taps>& taps, std::int64_t out_axis_stride,
          std::int64_t out_inner_stride, std::int64_t in_plane, std::int64_t out_plane) {
    for (std::int64_t p = 0; p < planes; ++p)
        for (std::size_t o = 0; o < taps.size(); ++o)
            for (std::int64_t k = 0; k < inner; ++k) {
                double acc = 0;
                const Taps& t = taps[o];
                for (std::size_t j = 0; j < t.weights.size(); ++j)
                    acc +=
                        t.weights[j] *
                        in[p * in_plane + (t.first + static_cast<std::int64_t>(j)) * axis_stride +
                           k * inner_stride];
                out[p * out_plane + static_cast<std::int64_t>(o) * out_axis_stride +
                    k * out_inner_stride] = static_cast<T>(acc);
            }
}

template <class T>
Tensor resize_planes(const Tensor& src, std::int64_t planes, std::int64_t ih, std::int64_t iw,
                     std::int64_t oh, std::int64_t ow) {
    const T* in = src.data_ptr<T>();
    // Width first, then height, as aten's separable kernel goes from the last dim.
    Tensor mid = Tensor::empty({planes, ih, ow}, src.dtype());
    pass(in, mid.data_ptr<T>(), planes, ih, iw, 1, antialias_taps(iw, ow), 1, ow, ih * iw, ih * ow);
    Tensor out = Tensor::empty({planes, oh, ow}, src.dtype());
    pass(mid.data_ptr<T>(), out.data_ptr<T>(), planes, ow, 1, ow, antialias_taps(ih, oh), ow, 1,
         ih * ow, oh * ow);
    return out;
}

} // namespace

Tensor resize_antialias(const Tensor& img, std::int64_t height, std::int64_t width) {
    const ImageSize s = image_size(img);
    if (height < 1 || width < 1)
        throw std::invalid_argument("resize: the size must be at least 1x1, got " +
                                    std::to_string(height) + "x" + std::to_string(width));
    const Tensor f = as_float(img);
    const std::int64_t planes = s.height * s.width == 0 ? 0 : f.numel() / (s.height * s.width);
    Tensor out = f.dtype() == DType::Float64
                     ? resize_planes<double>(f, planes, s.height, s.width, height, width)
                     : resize_planes<float>(f, planes, s.height, s.width, height, width);
    Shape shape = img.shape();
    shape[shape.size() - 2] = height;
    shape[shape.size() - 1] = width;
    return cast_back(out.view(shape), img.dtype());
}

} // namespace nnscope::data::functional
