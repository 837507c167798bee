// Resize (opsets 11-18) in modes nearest and linear, one axis at a time: each output position
// maps to a source coordinate (coordinate_transformation_mode), then nearest picks one source
// element and linear blends two, through index_select so gradients flow to the input.
#include "engine/ops/elementwise.h"
#include "engine/ops/index.h"
#include "io/onnx/onnx_ops.h"

#include <cmath>

namespace nnscope::io::onnx_ops {

namespace {

struct ResizeMode {
    bool linear = false;
    std::string coordinates, nearest;
};

// `length` is the resized length before rounding (in * scale when scales are given), as ONNX's
// formulas take it.
double source_coordinate(const ResizeMode& m, double x, double scale, std::int64_t in,
                         double length, std::int64_t out) {
    if (m.coordinates == "asymmetric") return x / scale;
    if (m.coordinates == "align_corners")
        return length == 1.0 ? 0.0 : x * static_cast<double>(in - 1) / (length - 1.0);
    if (m.coordinates == "pytorch_half_pixel" && out == 1) return 0.0;
    return (x + 0.5) / scale - 0.5; // half_pixel, pytorch_half_pixel
}

std::int64_t round_nearest(const std::string& mode, double v) {
    if (mode == "floor") return static_cast<std::int64_t>(std::floor(v));
    if (mode == "ceil") return static_cast<std::int64_t>(std::ceil(v));
    const double f = std::floor(v);
    if (v - f == 0.5) return static_cast<std::int64_t>(mode == "round_prefer_ceil" ? f + 1 : f);
    return static_cast<std::int64_t>(std::round(v));
}

Tensor resize_axis(const Tensor& x, std::int64_t d, std::int64_t out, double scale,
                   const ResizeMode& m) {
    const std::int64_t in = x.size(d);
    std::vector<std::int64_t> lo(out), hi(out);
    std::vector<double> w(out);
    for (std::int64_t i = 0; i < out; ++i) {
        double c = source_coordinate(m, static_cast<double>(i), scale, in,
                                     scale * static_cast<double>(in), out);
        if (!m.linear) {
            lo[i] = std::clamp<std::int64_t>(round_nearest(m.nearest, c), 0, in - 1);
            continue;
        }
        c = std::clamp(c, 0.0, static_cast<double>(in - 1));
        lo[i] = static_cast<std::int64_t>(std::floor(c));
        hi[i] = std::min(lo[i] + 1, in - 1);
        w[i] = c - static_cast<double>(lo[i]);
    }
    const Tensor a = index_select(x, d, Tensor::from_int64(lo, {out}));
    if (!m.linear) return a;
    const Tensor b = index_select(x, d, Tensor::from_int64(hi, {out}));
    Shape ws(x.dim(), 1);
    ws[d] = out;
    const Tensor weight = Tensor::from_vector(w, ws, x.dtype());
    return add(a, mul(sub(b, a), weight));
}

Kernel resize(const NodeInfo& node) {
    node.attrs.allow_only({"coordinate_transformation_mode", "cubic_coeff_a", "exclude_outside",
                           "extrapolation_value", "mode", "nearest_mode"});
    if (node.opset < 11) throw Unsupported("Resize before opset 11 not supported");
    ResizeMode m;
    const std::string mode = node.attrs.s("mode", "nearest");
    if (mode != "nearest" && mode != "linear") throw Unsupported("mode=" + mode + " not supported");
    m.linear = mode == "linear";
    m.coordinates = node.attrs.s("coordinate_transformation_mode", "half_pixel");
    if (m.coordinates != "half_pixel" && m.coordinates != "pytorch_half_pixel" &&
        m.coordinates != "align_corners" && m.coordinates != "asymmetric")
        throw Unsupported("coordinate_transformation_mode=" + m.coordinates + " not supported");
    m.nearest = node.attrs.s("nearest_mode", "round_prefer_floor");
    if (m.nearest != "round_prefer_floor" && m.nearest != "round_prefer_ceil" &&
        m.nearest != "floor" && m.nearest != "ceil")
        throw Unsupported("nearest_mode=" + m.nearest + " not supported");
    if (node.attrs.i("exclude_outside", 0) != 0) throw Unsupported("exclude_outside=1");
    return [m](const Values& in) {
        Tensor x = need(in, 0, "Resize");
        std::vector<double> scales;
        std::vector<std::int64_t> sizes;
        if (in.size() > 3 && in[3].defined() && in[3].numel() > 0)
            sizes = ints_of(in[3]);
        else if (in.size() > 2 && in[2].defined() && in[2].numel() > 0)
            scales = in[2].to_vector();
        else
            throw std::runtime_error("neither scales nor sizes given");
        const std::size_t rank = static_cast<std::size_t>(x.dim());
        if ((!sizes.empty() && sizes.size() != rank) || (!scales.empty() && scales.size() != rank))
            throw std::runtime_error("scales or sizes do not match the input's rank");
        for (std::size_t d = 0; d < rank; ++d) {
            const std::int64_t n = x.size(static_cast<std::int64_t>(d));
            const std::int64_t out =
                sizes.empty() ? static_cast<std::int64_t>(std::floor(n * scales[d])) : sizes[d];
            const double scale =
                sizes.empty() ? scales[d] : static_cast<double>(out) / static_cast<double>(n);
            if (out == n && scale == 1.0) continue;
            x = resize_axis(x, static_cast<std::int64_t>(d), out, scale, m);
        }
        return Values{x};
    };
}

} // namespace

void register_resize_op(Registry& r) {
    r["Resize"] = resize;
}

} // namespace nnscope::io::onnx_ops
