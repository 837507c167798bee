// F.rotate on tensors as torchvision 0.14 computes it: the inverse affine matrix in double
// (_get_inverse_affine_matrix), rounded to the image's float dtype; an affine grid over the
// output pixels (_gen_affine_grid); then grid_sample(padding_mode="zeros",
// align_corners=False) with aten's CPU arithmetic, and the fill applied through an extra mask
// channel that is sampled like the image (_apply_grid_transform).

#include "data/transforms/cast.h"
#include "data/transforms/functional.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace nnscope::data::functional {

namespace {

// _get_inverse_affine_matrix(center, angle, translate=0, scale=1, shear=0), operation for
// operation, so that the doubles are Python's.
std::array<double, 6> inverse_rotation(double cx, double cy, double angle) {
    const double rot = angle * (std::numbers::pi / 180.0); // math.radians
    const double a = std::cos(rot) / std::cos(0.0);
    const double b = -std::cos(rot) * std::tan(0.0) / std::cos(0.0) - std::sin(rot);
    const double c = std::sin(rot) / std::cos(0.0);
    const double d = -std::sin(rot) * std::tan(0.0) / std::cos(0.0) + std::cos(rot);
    std::array<double, 6> m = {d, -b, 0.0, -c, a, 0.0};
    for (double& x : m)
        x /= 1.0;
    m[2] += m[0] * (-cx - 0.0) + m[1] * (-cy - 0.0);
    m[5] += m[3] * (-cx - 0.0) + m[4] * (-cy - 0.0);
    m[2] += cx;
    m[5] += cy;
    return m;
}

// _compute_affine_output_size, in float32 as torch computes it.
std::pair<std::int64_t, std::int64_t> expanded_size(const std::array<double, 6>& matrix,
                                                    std::int64_t w, std::int64_t h) {
    const float hw = static_cast<float>(0.5 * static_cast<double>(w));
    const float hh = static_cast<float>(0.5 * static_cast<double>(h));
    const float pts[4][2] = {{-hw, -hh}, {-hw, hh}, {hw, hh}, {hw, -hh}};
    float th[6];
    for (int i = 0; i < 6; ++i)
        th[i] = static_cast<float>(matrix[static_cast<std::size_t>(i)]);
    float lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};
    for (const auto& p : pts) {
        for (int k = 0; k < 2; ++k) {
            const float v = p[0] * th[3 * k] + p[1] * th[3 * k + 1] + 1.0f * th[3 * k + 2];
            lo[k] = std::min(lo[k], v);
            hi[k] = std::max(hi[k], v);
        }
    }
    const float shift[2] = {hw, hh};
    const float tol = 1e-4f;
    std::int64_t size[2];
    for (int k = 0; k < 2; ++k) {
        const float cmax = std::ceil(std::trunc((hi[k] + shift[k]) / tol) * tol);
        const float cmin = std::floor(std::trunc((lo[k] + shift[k]) / tol) * tol);
        size[k] = static_cast<std::int64_t>(cmax - cmin);
    }
    return {size[0], size[1]};
}

template <class T>
Tensor rotate_float(const Tensor& src, const std::array<double, 6>& matrix, Interpolation mode,
                    std::int64_t ow, std::int64_t oh,
                    const std::optional<std::vector<double>>& fill, std::int64_t channels) {
    const std::int64_t h = src.size(-2), w = src.size(-1);
    // rescaled_theta = theta^T / [0.5 w, 0.5 h], in T.
    T theta[6];
    for (int i = 0; i < 6; ++i)
        theta[i] = static_cast<T>(matrix[static_cast<std::size_t>(i)]);
    const T sx = static_cast<T>(0.5 * static_cast<double>(w));
    const T sy = static_cast<T>(0.5 * static_cast<double>(h));
    const T r[3][2] = {{theta[0] / sx, theta[3] / sy},
                       {theta[1] / sx, theta[4] / sy},
                       {theta[2] / sx, theta[5] / sy}};
    // grid_sample's unnormalize for align_corners=False: (g + 1) * (size / 2) - 0.5.
    const T half_w = static_cast<T>(w) / T(2), half_h = static_cast<T>(h) / T(2);

    Shape shape = src.shape();
    shape[shape.size() - 2] = oh;
    shape[shape.size() - 1] = ow;
    Tensor out = Tensor::empty(shape, src.dtype());
    const std::int64_t planes = h * w == 0 ? 0 : src.numel() / (h * w);
    const T* in = src.data_ptr<T>();
    T* o = out.data_ptr<T>();
    std::vector<T> fills;
    if (fill) {
        for (double f : *fill)
            fills.push_back(static_cast<T>(f));
        if (fills.size() > 1 && static_cast<std::int64_t>(fills.size()) != channels)
            throw std::invalid_argument(
                "The number of elements in 'fill' cannot broadcast to match the number of "
                "channels of the image (" +
                std::to_string(fills.size()) + " != " + std::to_string(channels) + ")");
    }
    const std::int64_t opix = ow * oh;
    for (std::int64_t y = 0; y < oh; ++y) {
        // linspace(-n/2 + 0.5, n/2 - 0.5, n) has step 1: every value is exact.
        const T gy0 = static_cast<T>(-static_cast<double>(oh) * 0.5 + 0.5 + static_cast<double>(y));
        for (std::int64_t x = 0; x < ow; ++x) {
            const T gx0 =
                static_cast<T>(-static_cast<double>(ow) * 0.5 + 0.5 + static_cast<double>(x));
            const T gx = gx0 * r[0][0] + gy0 * r[1][0] + T(1) * r[2][0];
            const T gy = gx0 * r[0][1] + gy0 * r[1][1] + T(1) * r[2][1];
            const T ix = (gx + T(1)) * half_w - T(0.5);
            const T iy = (gy + T(1)) * half_h - T(0.5);
            const std::int64_t pix = y * ow + x;
            if (mode == Interpolation::Nearest) {
                const T nx = std::nearbyint(ix), ny = std::nearbyint(iy);
                const bool inside =
                    nx >= 0 && nx < static_cast<T>(w) && ny >= 0 && ny < static_cast<T>(h);
                const std::int64_t at =
                    inside ? static_cast<std::int64_t>(ny) * w + static_cast<std::int64_t>(nx) : 0;
                for (std::int64_t p = 0; p < planes; ++p) {
                    T v = inside ? in[p * h * w + at] : T(0);
                    // mask < 0.5 takes the fill: outside pixels only.
                    if (fill && !inside) v = fills[fills.size() == 1 ? 0 : p % channels];
                    o[p * opix + pix] = v;
                }
            } else {
                const T x0 = std::floor(ix), y0 = std::floor(iy);
                const T dx = ix - x0, dy = iy - y0;
                const T ex = T(1) - dx, sy1 = T(1) - dy;
                const T wts[4] = {sy1 * ex, sy1 * dx, dy * ex, dy * dx}; // nw, ne, sw, se
                const auto xi = static_cast<std::int64_t>(x0), yi = static_cast<std::int64_t>(y0);
                const std::int64_t cx[4] = {xi, xi + 1, xi, xi + 1};
                const std::int64_t cy[4] = {yi, yi, yi + 1, yi + 1};
                bool ok[4];
                T mask = 0;
                for (int k = 0; k < 4; ++k) {
                    ok[k] = cx[k] >= 0 && cx[k] < w && cy[k] >= 0 && cy[k] < h;
                }
                // Sum in nw, ne, sw, se order, zeros for corners outside (padding "zeros").
                {
                    T acc = ok[0] ? wts[0] : T(0);
                    for (int k = 1; k < 4; ++k)
                        acc = acc + (ok[k] ? wts[k] : T(0));
                    mask = acc;
                }
                for (std::int64_t p = 0; p < planes; ++p) {
                    const T* plane = in + p * h * w;
                    T acc = ok[0] ? plane[cy[0] * w + cx[0]] * wts[0] : T(0);
                    for (int k = 1; k < 4; ++k)
                        acc = acc + (ok[k] ? plane[cy[k] * w + cx[k]] * wts[k] : T(0));
                    if (fill) {
                        const T f = fills[fills.size() == 1 ? 0 : p % channels];
                        acc = acc * mask + (T(1) - mask) * f;
                    }
                    o[p * opix + pix] = acc;
                }
            }
        }
    }
    return out;
}

} // namespace

Tensor rotate(const Tensor& img, double angle, Interpolation mode, bool expand,
              const std::optional<std::vector<double>>& center,
              const std::optional<std::vector<double>>& fill) {
    const ImageSize s = image_size(img);
    double cx = 0, cy = 0; // relative to the image centre
    if (center) {
        if (center->size() != 2)
            throw std::invalid_argument("center should be a sequence of length 2.");
        cx = 1.0 * ((*center)[0] - static_cast<double>(s.width) * 0.5);
        cy = 1.0 * ((*center)[1] - static_cast<double>(s.height) * 0.5);
    }
    // torchvision passes -angle: affine and rotate disagree about the direction.
    const auto matrix = inverse_rotation(cx, cy, -angle);
    std::int64_t ow = s.width, oh = s.height;
    if (expand) std::tie(ow, oh) = expanded_size(matrix, s.width, s.height);
    const Tensor src = as_float(img);
    Tensor out = dispatch_floating(src.dtype(), "rotate", [&](auto t) {
        using T = decltype(t);
        return rotate_float<T>(src, matrix, mode, ow, oh, fill, s.channels);
    });
    return cast_back(out, img.dtype());
}

} // namespace nnscope::data::functional
