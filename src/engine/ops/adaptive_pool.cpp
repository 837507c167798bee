// Adaptive average pooling: one window per output cell, sums in double (as PyTorch's mean does
// for the common 1x1 output, which it computes as x.mean((-2, -1))), planes in parallel.

#include "engine/ops/adaptive_pool.h"

#include "engine/autograd/node.h"
#include "engine/ops/scalar_type_name.h"
#include "engine/ops/strided.h"
#include "engine/parallel.h"

#include <stdexcept>

namespace nnscope {

namespace {

struct AdaptiveGeometry {
    std::int64_t planes, in_h, in_w, out_h, out_w;
    // The window of output index o along an axis of `in` inputs and `out` outputs.
    static std::int64_t start(std::int64_t o, std::int64_t out, std::int64_t in) {
        return (o * in) / out;
    }
    static std::int64_t end(std::int64_t o, std::int64_t out, std::int64_t in) {
        return ((o + 1) * in + out - 1) / out;
    }
};

AdaptiveGeometry check_adaptive(const Tensor& x, Pair output_size) {
    if (x.dim() != 3 && x.dim() != 4)
        throw std::invalid_argument("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got " +
                                    shape_to_string(x.shape()));
    for (std::int64_t d = 1; d < x.dim(); ++d)
        if (x.shape()[static_cast<std::size_t>(d)] == 0)
            throw std::invalid_argument("adaptive_avg_pool2d(): Expected input to have non-zero "
                                        "size for non-batch dimensions, but input has sizes " +
                                        shape_to_string(x.shape()));
    if (output_size[0] <= 0 || output_size[1] <= 0)
        throw std::invalid_argument("adaptive_avg_pool2d: output_size must be positive, got (" +
                                    std::to_string(output_size[0]) + ", " +
                                    std::to_string(output_size[1]) + ")");
    if (!x.is_floating_point())
        throw std::invalid_argument("\"adaptive_avg_pool2d\" not implemented for '" +
                                    std::string(detail::scalar_type_name(x.dtype())) + "'");
    const auto n = static_cast<std::size_t>(x.dim());
    const std::int64_t h = x.shape()[n - 2];
    const std::int64_t w = x.shape()[n - 1];
    return {h * w == 0 ? 0 : x.numel() / (h * w), h, w, output_size[0], output_size[1]};
}

// fn(plane, ih0, ih1, iw0, iw1, output offset) for every output cell; planes split over threads.
template <class Fn> void for_each_window(const AdaptiveGeometry& g, Fn&& fn) {
    parallel::parallel_for(g.planes, 1, [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t p = first; p < last; ++p)
            for (std::int64_t oh = 0; oh < g.out_h; ++oh) {
                const std::int64_t h0 = AdaptiveGeometry::start(oh, g.out_h, g.in_h);
                const std::int64_t h1 = AdaptiveGeometry::end(oh, g.out_h, g.in_h);
                for (std::int64_t ow = 0; ow < g.out_w; ++ow) {
                    const std::int64_t w0 = AdaptiveGeometry::start(ow, g.out_w, g.in_w);
                    const std::int64_t w1 = AdaptiveGeometry::end(ow, g.out_w, g.in_w);
                    fn(p, h0, h1, w0, w1, (p * g.out_h + oh) * g.out_w + ow);
                }
            }
    });
}

class AdaptiveAvgPool2dBackward final : public autograd::Node {
public:
    AdaptiveAvgPool2dBackward(Shape input_shape, AdaptiveGeometry geo)
        : input_shape_(std::move(input_shape))
        , geo_(geo) {}
    autograd::TensorList apply(autograd::TensorList&& grads) override {
        if (!grads[0].defined() || !needs_input_grad(0)) return {Tensor()};
        const Tensor g = grads[0].contiguous();
        Tensor gx = Tensor::zeros(input_shape_, g.dtype());
        dispatch_floating(g.dtype(), "adaptive_avg_pool2d_backward", [&](auto tag) {
            using T = decltype(tag);
            const T* src = g.data_ptr<T>();
            T* dst = gx.data_ptr<T>();
            // A plane's windows may overlap, but planes are disjoint: one thread per plane.
            for_each_window(geo_, [&](std::int64_t p, std::int64_t h0, std::int64_t h1,
                                      std::int64_t w0, std::int64_t w1, std::int64_t o) {
                const T share = src[o] / static_cast<T>((h1 - h0) * (w1 - w0));
                T* plane = dst + p * geo_.in_h * geo_.in_w;
                for (std::int64_t ih = h0; ih < h1; ++ih)
                    for (std::int64_t iw = w0; iw < w1; ++iw)
                        plane[ih * geo_.in_w + iw] += share;
            });
        });
        return {gx};
    }
    std::string name() const override { return "AdaptiveAvgPool2DBackward0"; }

private:
    Shape input_shape_;
    AdaptiveGeometry geo_;
};

} // namespace

Tensor adaptive_avg_pool2d(const Tensor& x, Pair output_size) {
    const AdaptiveGeometry g = check_adaptive(x, output_size);
    Shape out_shape = x.shape();
    out_shape[out_shape.size() - 2] = g.out_h;
    out_shape[out_shape.size() - 1] = g.out_w;
    const Tensor xc = x.detach().contiguous();
    Tensor out = Tensor::empty(out_shape, x.dtype());
    dispatch_floating(x.dtype(), "adaptive_avg_pool2d", [&](auto tag) {
        using T = decltype(tag);
        const T* src = xc.data_ptr<T>();
        T* dst = out.data_ptr<T>();
        for_each_window(g, [&](std::int64_t p, std::int64_t h0, std::int64_t h1, std::int64_t w0,
                               std::int64_t w1, std::int64_t o) {
            const T* plane = src + p * g.in_h * g.in_w;
            double sum = 0.0;
            for (std::int64_t ih = h0; ih < h1; ++ih)
                for (std::int64_t iw = w0; iw < w1; ++iw)
                    sum += static_cast<double>(plane[ih * g.in_w + iw]);
            dst[o] = static_cast<T>(sum / static_cast<double>((h1 - h0) * (w1 - w0)));
        });
    });
    if (autograd::any_requires_grad({&x})) {
        auto node = std::make_shared<AdaptiveAvgPool2dBackward>(x.shape(), g);
        autograd::set_history(node, {&x}, out);
    }
    return out;
}

} // namespace nnscope
