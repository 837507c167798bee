// Shapes, views, joins, indexing and constants.
#include "engine/ops/elementwise.h"
#include "engine/ops/index.h"
#include "engine/ops/pad.h"
#include "engine/ops/shape.h"
#include "io/onnx/onnx_ops.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nnscope::io::onnx_ops {

namespace {

Kernel identity(const NodeInfo& node) {
    node.attrs.allow_only({});
    return [](const Values& in) { return Values{need(in, 0, "Identity")}; };
}

Kernel flatten(const NodeInfo& node) {
    node.attrs.allow_only({"axis"});
    const std::int64_t axis = node.attrs.i("axis", 1);
    return [axis](const Values& in) {
        const Tensor& x = need(in, 0, "Flatten");
        const std::int64_t a = axis < 0 ? axis + x.dim() : axis;
        if (a < 0 || a > x.dim()) throw std::runtime_error("axis out of range");
        std::int64_t rows = 1;
        for (std::int64_t d = 0; d < a; ++d)
            rows *= x.size(d);
        return Values{x.reshape({rows, rows == 0 ? 0 : x.numel() / rows})};
    };
}

Kernel reshape(const NodeInfo& node) {
    node.attrs.allow_only({"allowzero"});
    if (node.opset < 5) throw Unsupported("Reshape with a shape attribute not supported");
    const bool allow_zero = node.attrs.i("allowzero", 0) != 0;
    return [allow_zero](const Values& in) {
        const Tensor& x = need(in, 0, "Reshape");
        Shape shape = ints_of(need(in, 1, "Reshape"));
        for (std::size_t d = 0; d < shape.size(); ++d)
            if (shape[d] == 0 && !allow_zero) {
                if (static_cast<std::int64_t>(d) >= x.dim())
                    throw std::runtime_error("a 0 in the shape copies a dim the input lacks");
                shape[d] = x.size(static_cast<std::int64_t>(d));
            }
        return Values{x.reshape(shape)};
    };
}

Kernel transpose(const NodeInfo& node) {
    node.attrs.allow_only({"perm"});
    const std::vector<std::int64_t> perm = node.attrs.ints("perm");
    return [perm](const Values& in) {
        const Tensor& x = need(in, 0, "Transpose");
        Shape p = perm;
        if (p.empty())
            for (std::int64_t d = x.dim() - 1; d >= 0; --d)
                p.push_back(d);
        return Values{x.permute(p)};
    };
}

// Squeeze and Unsqueeze: axes from the attribute up to opset 12, from input 1 after.
template <bool Un> Kernel squeeze_op(const NodeInfo& node) {
    node.attrs.allow_only({"axes"});
    const bool from_input = node.opset >= 13;
    if (from_input && node.attrs.has("axes")) throw Unsupported("attribute axes at opset 13+");
    const std::vector<std::int64_t> attr = node.attrs.ints("axes");
    return [attr, from_input](const Values& in) {
        Tensor x = need(in, 0, "Squeeze");
        std::vector<std::int64_t> axes = attr;
        if (from_input && in.size() > 1 && in[1].defined()) axes = ints_of(in[1]);
        if constexpr (Un) {
            const std::int64_t rank = x.dim() + static_cast<std::int64_t>(axes.size());
            for (auto& a : axes)
                a = axis_of(a, rank, "Unsqueeze");
            std::sort(axes.begin(), axes.end());
            for (std::int64_t a : axes)
                x = x.unsqueeze(a);
            return Values{x};
        }
        if (axes.empty()) return Values{x.squeeze()};
        for (auto& a : axes)
            a = axis_of(a, x.dim(), "Squeeze");
        std::sort(axes.rbegin(), axes.rend());
        for (std::int64_t a : axes) {
            if (x.size(a) != 1) throw std::runtime_error("cannot squeeze a dim of size > 1");
            x = x.squeeze(a);
        }
        return Values{x};
    };
}

Kernel concat(const NodeInfo& node) {
    node.attrs.allow_only({"axis"});
    const std::int64_t axis = node.attrs.i("axis", 0);
    return [axis](const Values& in) {
        std::vector<Tensor> parts;
        for (const auto& t : in)
            if (t.defined()) parts.push_back(t);
        if (parts.empty()) throw std::runtime_error("Concat of nothing");
        return Values{cat(parts, axis_of(axis, parts[0].dim(), "Concat"))};
    };
}

Kernel split(const NodeInfo& node) {
    node.attrs.allow_only({"axis", "split", "num_outputs"});
    const bool from_input = node.opset >= 13;
    if (from_input && node.attrs.has("split")) throw Unsupported("attribute split at opset 13+");
    const std::int64_t axis = node.attrs.i("axis", 0);
    const std::vector<std::int64_t> attr = node.attrs.ints("split");
    const std::size_t outputs = node.outputs;
    return [=](const Values& in) {
        const Tensor& x = need(in, 0, "Split");
        const std::int64_t a = axis_of(axis, x.dim(), "Split");
        std::vector<std::int64_t> sizes = attr;
        if (from_input && in.size() > 1 && in[1].defined()) sizes = ints_of(in[1]);
        if (sizes.empty()) {
            const std::int64_t n = static_cast<std::int64_t>(outputs);
            if (x.size(a) % n != 0) throw std::runtime_error("dim does not split evenly");
            sizes.assign(outputs, x.size(a) / n);
        }
        Values out;
        std::int64_t start = 0;
        for (std::int64_t s : sizes) {
            out.push_back(x.narrow(a, start, s));
            start += s;
        }
        if (start != x.size(a)) throw std::runtime_error("split sizes do not sum to the dim");
        return out;
    };
}

// x[::-1] along d, as a gather (the engine's slice takes positive steps).
Tensor flip(const Tensor& x, std::int64_t d) {
    const std::int64_t n = x.size(d);
    std::vector<std::int64_t> rev(n);
    for (std::int64_t i = 0; i < n; ++i)
        rev[i] = n - 1 - i;
    return index_select(x, d, Tensor::from_int64(rev, {n}));
}

Kernel slice(const NodeInfo& node) {
    node.attrs.allow_only({"starts", "ends", "axes"});
    if (node.opset < 10) throw Unsupported("Slice with attributes (opset < 10) not supported");
    return [](const Values& in) {
        Tensor x = need(in, 0, "Slice");
        const auto starts = ints_of(need(in, 1, "Slice")), ends = ints_of(need(in, 2, "Slice"));
        std::vector<std::int64_t> axes, steps(starts.size(), 1);
        if (in.size() > 3 && in[3].defined())
            axes = ints_of(in[3]);
        else
            for (std::size_t i = 0; i < starts.size(); ++i)
                axes.push_back(static_cast<std::int64_t>(i));
        if (in.size() > 4 && in[4].defined()) steps = ints_of(in[4]);
        if (axes.size() != starts.size() || ends.size() != starts.size() ||
            steps.size() != starts.size())
            throw std::runtime_error("starts, ends, axes and steps differ in length");
        for (std::size_t i = 0; i < starts.size(); ++i) {
            const std::int64_t a = axis_of(axes[i], x.dim(), "Slice"), n = x.size(a);
            const std::int64_t step = steps[i];
            if (step == 0) throw std::runtime_error("step 0");
            auto clampi = [](std::int64_t v, std::int64_t lo, std::int64_t hi) {
                return std::min(std::max(v, lo), hi);
            };
            std::int64_t s = starts[i] < 0 ? starts[i] + n : starts[i];
            std::int64_t e = ends[i] < 0 ? ends[i] + n : ends[i];
            if (ends[i] <= std::numeric_limits<std::int64_t>::min() / 2) e = -1;
            if (step > 0) {
                s = clampi(s, 0, n);
                e = clampi(e, 0, n);
                x = x.slice(a, s, std::max(s, e), step);
            } else {
                s = clampi(s, 0, n - 1);
                e = clampi(e, -1, n - 1);
                // Elements s, s+step, ... > e, taken from the flipped dim.
                const std::int64_t count = s > e ? (s - e - 1) / (-step) + 1 : 0;
                const std::int64_t fs = n - 1 - s;
                x = flip(x, a).slice(a, fs, count == 0 ? fs : fs + (count - 1) * (-step) + 1,
                                     -step);
            }
        }
        return Values{x};
    };
}

Tensor positive_indices(const Tensor& index, std::int64_t size) {
    const Tensor i = index.to(DType::Int64);
    return where(lt(i, Tensor::scalar(0, DType::Int64)), add(i, Tensor::scalar(size, DType::Int64)),
                 i);
}

Kernel gather_op(const NodeInfo& node) {
    node.attrs.allow_only({"axis"});
    const std::int64_t axis = node.attrs.i("axis", 0);
    return [axis](const Values& in) {
        const Tensor& x = need(in, 0, "Gather");
        const Tensor& idx = need(in, 1, "Gather");
        const std::int64_t a = axis_of(axis, x.dim(), "Gather");
        const Tensor flat = positive_indices(idx, x.size(a)).reshape({-1});
        Tensor picked = index_select(x, a, flat);
        Shape shape(x.shape().begin(), x.shape().begin() + a);
        shape.insert(shape.end(), idx.shape().begin(), idx.shape().end());
        shape.insert(shape.end(), x.shape().begin() + a + 1, x.shape().end());
        return Values{picked.reshape(shape)};
    };
}

Kernel gather_elements(const NodeInfo& node) {
    node.attrs.allow_only({"axis"});
    const std::int64_t axis = node.attrs.i("axis", 0);
    return [axis](const Values& in) {
        const Tensor& x = need(in, 0, "GatherElements");
        const std::int64_t a = axis_of(axis, x.dim(), "GatherElements");
        return Values{gather(x, a, positive_indices(need(in, 1, "GatherElements"), x.size(a)))};
    };
}

Kernel shape_op(const NodeInfo& node) {
    node.attrs.allow_only({"start", "end"});
    const std::int64_t start = node.attrs.i("start", 0);
    const std::optional<std::int64_t> end =
        node.attrs.has("end") ? std::optional(node.attrs.i("end", 0)) : std::nullopt;
    return [start, end](const Values& in) {
        const Shape& s = need(in, 0, "Shape").shape();
        const std::int64_t r = static_cast<std::int64_t>(s.size());
        auto fix = [r](std::int64_t v) {
            return std::clamp(v < 0 ? v + r : v, std::int64_t(0), r);
        };
        const std::int64_t b = fix(start), e = std::max(b, fix(end.value_or(r)));
        const Shape part(s.begin() + b, s.begin() + e);
        return Values{Tensor::from_int64(part, {e - b})};
    };
}

Kernel size_op(const NodeInfo& node) {
    node.attrs.allow_only({});
    return [](const Values& in) {
        return Values{
            Tensor::scalar(static_cast<double>(need(in, 0, "Size").numel()), DType::Int64)};
    };
}

Kernel constant(const NodeInfo& node) {
    node.attrs.allow_only({"value", "value_float", "value_floats", "value_int", "value_ints"});
    Tensor value;
    if (node.attrs.has("value"))
        value = as_run_type(node.attrs.t("value"), node);
    else if (node.attrs.has("value_float"))
        value = Tensor::scalar(node.attrs.f("value_float", 0), node.float_type());
    else if (node.attrs.has("value_int"))
        value = Tensor::scalar(static_cast<double>(node.attrs.i("value_int", 0)), DType::Int64);
    else if (node.attrs.has("value_ints")) {
        const auto v = node.attrs.ints("value_ints");
        value = Tensor::from_int64(v, {static_cast<std::int64_t>(v.size())});
    } else if (node.attrs.has("value_floats")) {
        const auto v = node.attrs.floats("value_floats");
        value = Tensor::from_vector(v, {static_cast<std::int64_t>(v.size())}, node.float_type());
    } else {
        throw Unsupported("no value attribute");
    }
    return [value](const Values&) { return Values{value}; };
}

Kernel constant_of_shape(const NodeInfo& node) {
    node.attrs.allow_only({"value"});
    Tensor value = node.attrs.has("value") ? as_run_type(node.attrs.t("value"), node)
                                           : Tensor::scalar(0.0, node.float_type());
    return [value](const Values& in) {
        const Shape shape = ints_of(need(in, 0, "ConstantOfShape"));
        Tensor out = Tensor::empty(shape, value.dtype());
        out.fill_(value.reshape({-1}).item());
        return Values{out};
    };
}

Kernel pad(const NodeInfo& node) {
    node.attrs.allow_only({"mode", "pads", "value"});
    const std::string mode = node.attrs.s("mode", "constant");
    if (mode != "constant" && mode != "reflect" && mode != "edge")
        throw Unsupported("mode=" + mode + " not supported");
    node.refuse_input(3, "axes");
    const bool from_input = node.opset >= 11;
    const std::vector<std::int64_t> attr = node.attrs.ints("pads");
    const double attr_value = node.attrs.f("value", 0.0);
    return [=](const Values& in) {
        const Tensor& x = need(in, 0, "Pad");
        const auto pads = from_input ? ints_of(need(in, 1, "Pad")) : attr;
        double value = attr_value;
        if (from_input && in.size() > 2 && in[2].defined()) value = in[2].item();
        if (pads.size() != 2 * static_cast<std::size_t>(x.dim()))
            throw std::runtime_error("pads has " + std::to_string(pads.size()) +
                                     " values for a rank-" + std::to_string(x.dim()) + " input");
        if (mode == "constant") return Values{pad_constant(x, pads, value)};
        // ONNX lists every dim's begin, then every end; F.pad's pairs run from the last dim.
        const std::size_t rank = pads.size() / 2;
        std::vector<std::int64_t> pairs;
        for (std::size_t d = rank; d-- > 0;) {
            pairs.push_back(pads[d]);
            pairs.push_back(pads[rank + d]);
        }
        return Values{
            pad_last_dims(x, pairs, mode == "reflect" ? PadMode::Reflect : PadMode::Replicate)};
    };
}

Kernel expand_op(const NodeInfo& node) {
    node.attrs.allow_only({});
    return [](const Values& in) {
        const Tensor& x = need(in, 0, "Expand");
        const Shape want = ints_of(need(in, 1, "Expand"));
        // ONNX broadcasts both ways: a 1 in the shape keeps the input's dim.
        return Values{x.expand(broadcast_shapes(x.shape(), want))};
    };
}

Kernel tile(const NodeInfo& node) {
    node.attrs.allow_only({});
    return [](const Values& in) {
        Tensor x = need(in, 0, "Tile");
        const auto repeats = ints_of(need(in, 1, "Tile"));
        if (repeats.size() != static_cast<std::size_t>(x.dim()))
            throw std::runtime_error("repeats does not match the input's rank");
        for (std::size_t d = 0; d < repeats.size(); ++d)
            if (repeats[d] != 1) {
                std::vector<Tensor> copies(repeats[d], x);
                x = repeats[d] == 0 ? x.narrow(d, 0, 0) : cat(copies, d);
            }
        return Values{x};
    };
}

Kernel range(const NodeInfo& node) {
    node.attrs.allow_only({});
    return [](const Values& in) {
        const Tensor& s = need(in, 0, "Range");
        const double start = s.item(), limit = need(in, 1, "Range").item(),
                     delta = need(in, 2, "Range").item();
        if (delta == 0) throw std::runtime_error("delta 0");
        const auto n = static_cast<std::int64_t>(std::max(0.0, std::ceil((limit - start) / delta)));
        std::vector<double> v(n);
        for (std::int64_t i = 0; i < n; ++i)
            v[i] = start + static_cast<double>(i) * delta;
        return Values{Tensor::from_vector(v, {n}, s.dtype())};
    };
}

} // namespace

Tensor pad_constant(const Tensor& x, const std::vector<std::int64_t>& pads, double value) {
    const std::int64_t n = static_cast<std::int64_t>(pads.size()) / 2;
    const std::int64_t first = x.dim() - n;
    Tensor y = x;
    for (std::int64_t k = 0; k < n; ++k) {
        const std::int64_t d = first + k, before = pads[k], after = pads[k + n];
        if (before < 0) y = y.narrow(d, -before, y.size(d) + before);
        if (after < 0) y = y.narrow(d, 0, y.size(d) + after);
        std::vector<Tensor> parts;
        Shape s = y.shape();
        if (before > 0) {
            s[d] = before;
            parts.push_back(Tensor::full(s, value, y.dtype()));
        }
        parts.push_back(y);
        if (after > 0) {
            s[d] = after;
            parts.push_back(Tensor::full(s, value, y.dtype()));
        }
        if (parts.size() > 1) y = cat(parts, d);
    }
    return y;
}

void register_shape_ops(Registry& r) {
    r["Identity"] = identity;
    r["Flatten"] = flatten;
    r["Reshape"] = reshape;
    r["Transpose"] = transpose;
    r["Squeeze"] = squeeze_op<false>;
    r["Unsqueeze"] = squeeze_op<true>;
    r["Concat"] = concat;
    r["Split"] = split;
    r["Slice"] = slice;
    r["Gather"] = gather_op;
    r["GatherElements"] = gather_elements;
    r["Shape"] = shape_op;
    r["Size"] = size_op;
    r["Constant"] = constant;
    r["ConstantOfShape"] = constant_of_shape;
    r["Pad"] = pad;
    r["Expand"] = expand_op;
    r["Tile"] = tile;
    r["Range"] = range;
}

} // namespace nnscope::io::onnx_ops
