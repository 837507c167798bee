// The padding kernel shared by every mode: per-dim source maps combined into one table of
// element offsets for the padded block, a copy through it and the scatter-add back.

#include "engine/ops/pad_kernel.h"

#include "engine/autograd/node.h"
#include "engine/ops/strided.h"
#include "engine/parallel.h"

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

namespace nnscope {

namespace detail {

namespace {

using Offsets = std::vector<std::int64_t>;

// Offset of each element of the padded block (row-major over the padded dims) inside one
// contiguous input block of the unpadded sizes, or -1 for a fill element.
Offsets block_offsets(const std::vector<std::vector<std::int64_t>>& maps, const Shape& in_sizes) {
    Offsets offsets{0};
    std::int64_t stride = 1;
    std::vector<std::int64_t> strides(maps.size());
    for (std::size_t d = maps.size(); d-- > 0;) {
        strides[d] = stride;
        stride *= in_sizes[d];
    }
    for (std::size_t d = 0; d < maps.size(); ++d) {
        Offsets next;
        next.reserve(offsets.size() * maps[d].size());
        for (std::int64_t base : offsets)
            for (std::int64_t source : maps[d])
                next.push_back(base < 0 || source < 0 ? -1 : base + source * strides[d]);
        offsets = std::move(next);
    }
    return offsets;
}

// Copies elements through the offsets, block by block, as raw words of the element's size (any
// dtype, bits kept).
template <class Word>
void gather_blocks(const Word* in, Word* out, const Offsets& offsets, std::int64_t in_block,
                   std::int64_t blocks) {
    const auto out_block = static_cast<std::int64_t>(offsets.size());
    parallel::parallel_for(
        blocks, std::max<std::int64_t>(1, kCheapGrain / std::max<std::int64_t>(1, out_block)),
        [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t b = begin; b < end; ++b) {
                const Word* src = in + b * in_block;
                Word* dst = out + b * out_block;
                for (std::int64_t k = 0; k < out_block; ++k)
                    if (offsets[k] >= 0) dst[k] = src[offsets[k]];
            }
        });
}

void gather(const Tensor& in, Tensor& out, const Offsets& offsets, std::int64_t in_block,
            std::int64_t blocks) {
    const void* src = in.raw_data();
    void* dst = out.raw_data();
    switch (element_size(in.dtype())) {
    case 1:
        return gather_blocks(static_cast<const std::uint8_t*>(src), static_cast<std::uint8_t*>(dst),
                             offsets, in_block, blocks);
    case 2:
        return gather_blocks(static_cast<const std::uint16_t*>(src),
                             static_cast<std::uint16_t*>(dst), offsets, in_block, blocks);
    case 4:
        return gather_blocks(static_cast<const std::uint32_t*>(src),
                             static_cast<std::uint32_t*>(dst), offsets, in_block, blocks);
    default:
        return gather_blocks(static_cast<const std::uint64_t*>(src),
                             static_cast<std::uint64_t*>(dst), offsets, in_block, blocks);
    }
}

class PadBackward final : public autograd::Node {
public:
    PadBackward(Shape in_shape, std::shared_ptr<const Offsets> offsets, std::int64_t in_block,
                const char* name)
        : in_shape_(std::move(in_shape))
        , offsets_(std::move(offsets))
        , in_block_(in_block)
        , name_(name) {}

    autograd::TensorList apply(autograd::TensorList&& grads) override {
        if (!grads[0].defined()) return {Tensor()};
        const Tensor g = grads[0].contiguous();
        Tensor grad_in = Tensor::zeros(in_shape_, g.dtype());
        const auto out_block = static_cast<std::int64_t>(offsets_->size());
        if (out_block == 0 || in_block_ == 0) return {grad_in};
        const std::int64_t blocks = g.numel() / out_block;
        const Offsets& offsets = *offsets_;
        dispatch_floating(g.dtype(), name_, [&](auto tag) {
            using T = decltype(tag);
            const T* src = g.data_ptr<T>();
            T* dst = grad_in.data_ptr<T>();
            // Blocks are disjoint; inside one, sources accumulate in output order as PyTorch's
            // backward kernels do.
            parallel::parallel_for(blocks, std::max<std::int64_t>(1, kCheapGrain / out_block),
                                   [&](std::int64_t begin, std::int64_t end) {
                                       for (std::int64_t b = begin; b < end; ++b) {
                                           const T* gb = src + b * out_block;
                                           T* ib = dst + b * in_block_;
                                           for (std::int64_t k = 0; k < out_block; ++k)
                                               if (offsets[k] >= 0) ib[offsets[k]] += gb[k];
                                       }
                                   });
        });
        return {grad_in};
    }
    std::string name() const override { return name_; }

private:
    Shape in_shape_;
    std::shared_ptr<const Offsets> offsets_;
    std::int64_t in_block_;
    const char* name_;
};

} // namespace

std::vector<std::int64_t> pad_source_map(PadMode mode, std::int64_t size, std::int64_t left,
                                         std::int64_t right) {
    const std::int64_t out = size + left + right;
    std::vector<std::int64_t> map(static_cast<std::size_t>(std::max<std::int64_t>(out, 0)), -1);
    const std::int64_t in_start = std::max<std::int64_t>(-left, 0);
    const std::int64_t out_start = std::max<std::int64_t>(left, 0);
    for (std::int64_t j = 0; j < out; ++j) {
        std::int64_t& source = map[static_cast<std::size_t>(j)];
        switch (mode) {
        case PadMode::Constant:
            if (j - left >= 0 && j - left < size) source = j - left;
            break;
        case PadMode::Reflect: {
            std::int64_t p = j;
            if (j < left)
                p = 2 * left - j;
            else if (j >= size + left)
                p = 2 * (size + left - 1) - j;
            source = p - out_start + in_start;
            break;
        }
        case PadMode::Replicate:
            source = std::clamp(j, left, size + left - 1) - out_start + in_start;
            break;
        case PadMode::Circular:
            if (j >= out_start && j < out - std::max<std::int64_t>(right, 0))
                source = in_start + j - out_start;
            break;
        }
    }
    if (mode == PadMode::Circular) {
        const std::int64_t right_pos = std::max<std::int64_t>(right, 0);
        for (std::int64_t j = 0; j < left; ++j)
            map[static_cast<std::size_t>(j)] =
                map[static_cast<std::size_t>(out - left - right_pos + j)];
        for (std::int64_t j = 0; j < right; ++j)
            map[static_cast<std::size_t>(out - right + j)] =
                map[static_cast<std::size_t>(out_start + j)];
    }
    return map;
}

Tensor pad_by_maps(const Tensor& x, const std::vector<std::vector<std::int64_t>>& maps, double fill,
                   const char* node_name) {
    const std::size_t first = x.shape().size() - maps.size();
    Shape out_shape = x.shape();
    const Shape in_sizes(x.shape().begin() + static_cast<std::ptrdiff_t>(first), x.shape().end());
    bool fills = false;
    for (std::size_t d = 0; d < maps.size(); ++d) {
        out_shape[first + d] = static_cast<std::int64_t>(maps[d].size());
        fills = fills || std::find(maps[d].begin(), maps[d].end(), -1) != maps[d].end();
    }
    Tensor out =
        fills ? Tensor::full(out_shape, fill, x.dtype()) : Tensor::empty(out_shape, x.dtype());
    std::int64_t blocks = 1;
    for (std::size_t d = 0; d < first; ++d)
        blocks *= x.shape()[d];
    std::int64_t in_block = 1;
    for (std::int64_t s : in_sizes)
        in_block *= s;
    auto offsets = std::make_shared<const Offsets>(block_offsets(maps, in_sizes));
    if (out.numel() > 0 && in_block > 0) gather(x.contiguous(), out, *offsets, in_block, blocks);
    if (autograd::any_requires_grad({&x}))
        autograd::set_history(
            std::make_shared<PadBackward>(x.shape(), offsets, in_block, node_name), {&x}, out);
    return out;
}

} // namespace detail

namespace {

// PyTorch's grad_fn names: the 1-3 dim kernels' own, CopySlices for circular (a composition of
// slice copies in 1.13).
const char* backward_name(PadMode mode, std::size_t dims) {
    static const char* const reflect[] = {"ReflectionPad1DBackward0", "ReflectionPad2DBackward0",
                                          "ReflectionPad3DBackward0"};
    static const char* const replicate[] = {
        "ReplicationPad1DBackward0", "ReplicationPad2DBackward0", "ReplicationPad3DBackward0"};
    const std::size_t i = std::clamp<std::size_t>(dims, 1, 3) - 1;
    switch (mode) {
    case PadMode::Reflect:
        return reflect[i];
    case PadMode::Replicate:
        return replicate[i];
    case PadMode::Circular:
        return "CopySlices";
    case PadMode::Constant:
        break;
    }
    return "ConstantPadNdBackward0";
}

} // namespace

Tensor pad_last_dims(const Tensor& x, const std::vector<std::int64_t>& pad, PadMode mode,
                     double value) {
    if (pad.size() % 2 != 0 || pad.size() / 2 > x.shape().size())
        throw std::invalid_argument("pad: " + std::to_string(pad.size()) +
                                    " padding values for a tensor of " + std::to_string(x.dim()) +
                                    " dims");
    // Leading dims without padding are whole blocks to the kernel, not gathered dims (ONNX pads
    // every axis, batch and channels included).
    std::size_t k = pad.size() / 2;
    while (k > 0 && pad[2 * (k - 1)] == 0 && pad[2 * (k - 1) + 1] == 0)
        --k;
    const std::size_t first = x.shape().size() - k;
    std::vector<std::vector<std::int64_t>> maps(k);
    Shape out_shape = x.shape();
    for (std::size_t d = 0; d < k; ++d) {
        const std::int64_t size = x.shape()[first + d];
        // pad's pairs run from the last dim backwards.
        const std::int64_t left = pad[2 * (k - 1 - d)], right = pad[2 * (k - 1 - d) + 1];
        const std::string where =
            " at dimension " + std::to_string(first + d) + " of size " + std::to_string(size);
        std::int64_t out = 0;
        if (__builtin_add_overflow(size, left, &out) || __builtin_add_overflow(out, right, &out))
            throw std::invalid_argument("pad: padding (" + std::to_string(left) + ", " +
                                        std::to_string(right) + ") overflows" + where);
        out_shape[first + d] = std::max<std::int64_t>(out, 0);
        if (out < 0)
            throw std::invalid_argument("pad: padding (" + std::to_string(left) + ", " +
                                        std::to_string(right) + ") leaves a negative size" + where);
        if (mode == PadMode::Reflect && (left >= size || right >= size))
            throw std::invalid_argument("pad: reflect padding (" + std::to_string(left) + ", " +
                                        std::to_string(right) + ") must be below the size" + where);
        if (mode == PadMode::Circular && (left > size || right > size))
            throw std::invalid_argument("pad: circular padding (" + std::to_string(left) + ", " +
                                        std::to_string(right) + ") wraps around more than once" +
                                        where);
        if (mode == PadMode::Replicate && size == 0 && size + left + right > 0)
            throw std::invalid_argument("pad: replicate padding of an empty dimension" + where);
        shape_numel(out_shape); // throws on overflow, before a map of that size
        maps[d] = detail::pad_source_map(mode, size, left, right);
        for (std::int64_t source : maps[d])
            if (source < -1 || source >= size)
                throw std::invalid_argument("pad: " + std::string(pad_mode_name(mode)) +
                                            " padding (" + std::to_string(left) + ", " +
                                            std::to_string(right) + ") reads outside the input" +
                                            where);
    }
    return detail::pad_by_maps(x, maps, value, backward_name(mode, pad.size() / 2));
}

} // namespace nnscope
