// F.pad's rules in PyTorch 1.13 (_pad_enum, constant_pad_nd, reflection_pad{1,2,3}d,
// replication_pad{1,2,3}d, _pad_circular): which inputs each mode takes and the message it
// gives for the others, word for word. The padding itself is pad_last_dims (pad_kernel.cpp).

#include "engine/ops/pad.h"

#include "engine/ops/scalar_type_name.h"

#include <stdexcept>
#include <string>

namespace nnscope {

namespace {

using Pads = std::vector<std::int64_t>;

std::string str(std::int64_t v) {
    return std::to_string(v);
}

// How PyTorch prints an empty tensor inside a message: "[ torch.FloatTensor{1,0,3} ]".
std::string empty_tensor_text(const Tensor& x) {
    std::string dims;
    for (std::int64_t s : x.shape())
        dims += (dims.empty() ? "" : ",") + str(s);
    return "[ torch." + std::string(detail::scalar_type_name(x.dtype())) + "Tensor{" + dims + "} ]";
}

// Whether dims [from, ndim) are all non-zero.
bool nonzero_from(const Tensor& x, std::int64_t from) {
    for (std::int64_t d = from; d < x.dim(); ++d)
        if (x.size(d) == 0) return false;
    return true;
}

// (left, right) of padded dim i (0 = the first padded dim) among k.
std::pair<std::int64_t, std::int64_t> pads_of(const Pads& pad, std::size_t k, std::size_t i) {
    return {pad[2 * (k - 1 - i)], pad[2 * (k - 1 - i) + 1]};
}

void check_dtype(const Tensor& x, const std::string& kernel, bool half_too) {
    const DType t = x.dtype();
    const bool ok = t == DType::Float32 || t == DType::Float64 ||
                    (half_too && (t == DType::Float16 || t == DType::BFloat16));
    if (!ok)
        throw std::invalid_argument("\"" + kernel + "\" not implemented for '" +
                                    std::string(detail::scalar_type_name(t)) + "'");
}

// The allocation of an output with a negative size, as at::empty reports it.
void check_output_shape(const Tensor& x, const Pads& pad) {
    Shape out = x.shape();
    const std::size_t k = pad.size() / 2, first = out.size() - k;
    bool negative = false;
    for (std::size_t i = 0; i < k; ++i) {
        const auto [l, r] = pads_of(pad, k, i);
        out[first + i] += l + r;
        negative = negative || out[first + i] < 0;
    }
    if (!negative) return;
    for (std::int64_t s : out)
        if (s < 0)
            throw std::invalid_argument("Trying to create tensor with negative dimension " +
                                        str(s) + ": " + shape_to_string(out));
}

// Sizes beyond int64 (a hostile file's padding) are refused before any rule computes them.
void check_no_overflow(const Tensor& x, const Pads& pad) {
    const std::size_t k = pad.size() / 2, first = x.shape().size() - k;
    for (std::size_t i = 0; i < k; ++i) {
        const auto [l, r] = pads_of(pad, k, i);
        std::int64_t out = 0;
        if (__builtin_add_overflow(x.shape()[first + i], l, &out) ||
            __builtin_add_overflow(out, r, &out))
            throw std::invalid_argument("pad: padding (" + str(l) + ", " + str(r) +
                                        ") overflows at dimension " +
                                        str(static_cast<std::int64_t>(first + i)));
    }
}

// "(W: 3)", "(H: 3, W: 3)", ... and the computed sizes, for the "too small" messages.
struct Sizes {
    std::int64_t in[3];
    std::int64_t out[3];
};
Sizes sizes_of(const Tensor& x, const Pads& pad) {
    const std::size_t k = pad.size() / 2, first = x.shape().size() - k;
    Sizes s{};
    for (std::size_t i = 0; i < k; ++i) {
        const auto [l, r] = pads_of(pad, k, i);
        s.in[i] = x.shape()[first + i];
        s.out[i] = s.in[i] + l + r;
    }
    return s;
}

// The kernels refuse an output without a single element along every padded dim (their texts
// differ in spacing: reflection_pad1d's even carries a stray "2").
void check_too_small(const Sizes& s, std::size_t k, bool reflect) {
    const bool small = s.out[0] < 1 && (k < 2 || s.out[1] < 1) && (k < 3 || s.out[2] < 1);
    if (!small) return;
    if (k == 1)
        throw std::invalid_argument(std::string(reflect ? "2input (W: " : "input (W: ") +
                                    str(s.in[0]) + (reflect ? ")is" : ") is") +
                                    " too small. Calculated output W: " + str(s.out[0]));
    if (k == 2)
        throw std::invalid_argument(
            "input (H: " + str(s.in[0]) + ", W: " + str(s.in[1]) + (reflect ? ")is" : " ) is") +
            " too small. Calculated output H: " + str(s.out[0]) + " W: " + str(s.out[1]));
    throw std::invalid_argument("input (D: " + str(s.in[0]) + " H: " + str(s.in[1]) +
                                ", W: " + str(s.in[2]) + ") is too small. Calculated output D: " +
                                str(s.out[0]) + " H: " + str(s.out[1]) + " W: " + str(s.out[2]));
}

// Replication (and 3-D reflection) padding: every dim but a batch dim must be non-empty.
void check_nonempty(const Tensor& x, std::size_t k) {
    const bool batched = x.dim() == static_cast<std::int64_t>(k) + 2;
    if (nonzero_from(x, batched ? 1 : 0)) return;
    static const char* const ranks[] = {"2D or 3D", "3D or 4D", "4D or 5D"};
    throw std::invalid_argument("Expected " + std::string(ranks[k - 1]) +
                                " (batch mode) tensor with possibly 0 batch size and other "
                                "non-zero dimensions for input, but got: " +
                                shape_to_string(x.shape()));
}

void check_reflect(const Tensor& x, const Pads& pad) {
    const std::size_t k = pad.size() / 2, first = x.shape().size() - k;
    const std::int64_t ndim = x.dim();
    if (k == 3) {
        check_nonempty(x, k);
    } else if (!nonzero_from(x, 1)) {
        throw std::invalid_argument(
            std::string(k == 1 ? "2D or 3D" : "3D or 4D") +
            " (batch mode) tensor expected for input, but got: " + empty_tensor_text(x));
    }
    // Argument #4 is the last dim's pair, #6 the one before, #8 the first of three.
    for (std::size_t i = k; i-- > 0;) {
        const auto [l, r] = pads_of(pad, k, i);
        const std::int64_t size = x.shape()[first + i];
        if (l < size && r < size) continue;
        const std::string input = k == 2 ? str(ndim) : shape_to_string(x.shape());
        throw std::invalid_argument(
            "Argument #" + str(static_cast<std::int64_t>(4 + 2 * (k - 1 - i))) +
            ": Padding size should be less than the corresponding input "
            "dimension, but got: padding (" +
            str(l) + ", " + str(r) + ") at dimension " + str(static_cast<std::int64_t>(first + i)) +
            " of input " + input);
    }
    const Sizes s = sizes_of(x, pad);
    check_too_small(s, k, true);
    if (k == 2) {
        // reflection_pad2d sizes its output without the check at::empty makes.
        if (s.out[0] < 0 || s.out[1] < 0)
            throw std::invalid_argument("numel: integer multiplication overflow");
    }
    check_output_shape(x, pad);
    check_dtype(x,
                k == 3 ? "reflection_pad3d_cpu"
                       : "reflection_pad" + str(static_cast<std::int64_t>(k)) + "d",
                k == 3);
}

void check_replicate(const Tensor& x, const Pads& pad) {
    const std::size_t k = pad.size() / 2;
    check_nonempty(x, k);
    check_too_small(sizes_of(x, pad), k, false);
    check_output_shape(x, pad);
    check_dtype(x, "replication_pad" + str(static_cast<std::int64_t>(k)) + "d_cpu", false);
}

void check_circular(const Tensor& x, const Pads& pad) {
    const std::int64_t ndim = x.dim() - 2;
    if (static_cast<std::int64_t>(pad.size()) + 4 != x.dim() * 2)
        throw std::invalid_argument("Invalid padding size, expected " + str(ndim * 2) +
                                    " but got " + str(static_cast<std::int64_t>(pad.size())));
    const std::size_t k = pad.size() / 2;
    bool empty = x.size(0) == 0 || x.size(1) == 0;
    for (std::size_t i = 0; i < k; ++i) {
        const auto [l, r] = pads_of(pad, k, i);
        const std::int64_t size = x.shape()[2 + i];
        if (l > size || r > size)
            throw std::invalid_argument("Padding value causes wrapping around more than once.");
        if (size + l + r < 0)
            throw std::invalid_argument(
                "Negative padding value is resulting in an empty dimension");
        empty = empty || size + l + r == 0;
    }
    // The pads are copied from the padded result itself; PyTorch refuses a copy whose source
    // and destination overlap (a pad larger than what remains of the input).
    for (std::size_t i = 0; !empty && i < k; ++i) {
        const auto [l, r] = pads_of(pad, k, i);
        const std::int64_t out = x.shape()[2 + i] + l + r;
        const bool left_overlaps = l > 0 && out - l - std::max<std::int64_t>(r, 0) < l;
        const bool right_overlaps = r > 0 && std::max<std::int64_t>(l, 0) + r > out - r;
        if (left_overlaps || right_overlaps)
            throw std::invalid_argument(
                "unsupported operation: some elements of the input tensor and the written-to "
                "tensor refer to a single memory location. Please clone() the tensor before "
                "performing the operation.");
    }
}

// constant_pad_nd crops with narrow() first (its messages), then checks the padded sizes.
void check_constant(const Tensor& x, const Pads& pad) {
    const std::size_t k = pad.size() / 2, first = x.shape().size() - k;
    Tensor cropped = x.detach();
    for (std::size_t d = first; d < x.shape().size(); ++d) {
        const auto [l, r] = pads_of(pad, k, d - first);
        const auto dim = static_cast<std::int64_t>(d);
        if (l < 0) cropped = cropped.narrow(dim, -l, cropped.size(dim) + l);
        if (r < 0) cropped = cropped.narrow(dim, 0, cropped.size(dim) + r);
    }
    bool any_positive = false;
    for (std::int64_t p : pad)
        any_positive = any_positive || p > 0;
    if (!any_positive) return;
    for (std::size_t i = 0; i < k; ++i) {
        const auto [l, r] = pads_of(pad, k, i);
        const std::int64_t size = x.shape()[first + i];
        if (size + l + r <= 0)
            throw std::invalid_argument("The input size " + str(size) + ", plus negative padding " +
                                        str(l) + " and " + str(r) +
                                        " resulted in a negative output size, which is invalid. "
                                        "Check dimension " +
                                        str(static_cast<std::int64_t>(first + i)) +
                                        " of your input.");
    }
}

} // namespace

PadMode pad_mode_from_name(std::string_view name) {
    if (name == "constant") return PadMode::Constant;
    if (name == "reflect") return PadMode::Reflect;
    if (name == "replicate") return PadMode::Replicate;
    if (name == "circular") return PadMode::Circular;
    throw std::invalid_argument("Unrecognised padding mode " + std::string(name));
}

const char* pad_mode_name(PadMode mode) {
    switch (mode) {
    case PadMode::Reflect:
        return "reflect";
    case PadMode::Replicate:
        return "replicate";
    case PadMode::Circular:
        return "circular";
    case PadMode::Constant:
        break;
    }
    return "constant";
}

Tensor pad(const Tensor& x, const std::vector<std::int64_t>& pad, PadMode mode,
           std::optional<double> value) {
    if (pad.size() % 2 != 0) throw std::invalid_argument("Padding length must be divisible by 2");
    if (static_cast<std::int64_t>(pad.size()) > x.dim() * 2)
        throw std::invalid_argument("Padding length too large");
    check_no_overflow(x, pad);
    if (mode == PadMode::Constant) {
        check_constant(x, pad);
        return pad_last_dims(x, pad, mode, value.value_or(0.0));
    }
    if (value)
        throw std::invalid_argument("Padding mode \"" + std::string(pad_mode_name(mode)) +
                                    "\" doesn't take in value argument");
    const auto k = static_cast<std::int64_t>(pad.size() / 2);
    if (k < 1 || k > 3 || (x.dim() != k + 1 && x.dim() != k + 2))
        throw std::invalid_argument(
            "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
    if (mode == PadMode::Reflect) check_reflect(x, pad);
    if (mode == PadMode::Replicate) check_replicate(x, pad);
    if (mode == PadMode::Circular) check_circular(x, pad);
    return pad_last_dims(x, pad, mode);
}

} // namespace nnscope
