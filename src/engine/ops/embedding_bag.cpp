// embedding_bag: rows of a contiguous weight summed, averaged or maxed per bag in plain loops,
// with PyTorch's checks of offsets and per_sample_weights. Indices are never differentiated.

#include "engine/autograd/node.h"
#include "engine/ops/index.h"
#include "engine/ops/index_common.h"

#include <stdexcept>
#include <string>

namespace nnscope {

namespace {

using autograd::TensorList;
using detail::axpy;
using detail::check_bound;
using detail::check_indices_dtype;
using detail::index_values;

enum class BagMode { Sum, Mean, Max };

// Which indices form each bag: bag b is idx[bounds[b], bounds[b + 1]).
struct BagPlan {
    std::vector<std::int64_t> idx;
    std::vector<std::int64_t> bounds;
    std::int64_t bags() const { return static_cast<std::int64_t>(bounds.size()) - 1; }
};

BagMode parse_mode(std::string_view mode) {
    if (mode == "sum") return BagMode::Sum;
    if (mode == "mean") return BagMode::Mean;
    if (mode == "max") return BagMode::Max;
    throw std::invalid_argument("embedding_bag(): mode has to be one of sum, mean or max, got '" +
                                std::string(mode) + "'");
}

BagPlan plan_bags(const Tensor& input, const Tensor& offsets, bool include_last_offset) {
    BagPlan plan;
    check_indices_dtype(input, "embedding_bag");
    plan.idx = index_values(input);
    const auto n = static_cast<std::int64_t>(plan.idx.size());
    if (input.dim() == 2) {
        if (offsets.defined())
            throw std::invalid_argument(
                "embedding_bag(): if input is 2D, then offsets has to be undefined, as input is "
                "treated is a mini-batch of fixed length sequences");
        const std::int64_t length = input.shape()[1];
        for (std::int64_t b = 0; b <= input.shape()[0]; ++b)
            plan.bounds.push_back(b * length);
        return plan;
    }
    if (input.dim() != 1)
        throw std::invalid_argument("embedding_bag(): input has to be 1D or 2D Tensor, but got "
                                    "Tensor of dimension " +
                                    std::to_string(input.dim()));
    if (!offsets.defined() || offsets.dim() != 1)
        throw std::invalid_argument("embedding_bag(): offsets has to be a 1D Tensor for a 1D "
                                    "input");
    // PyTorch names offsets 'indices' in this message too.
    check_indices_dtype(offsets, "embedding_bag");
    std::vector<std::int64_t> off = index_values(offsets);
    if (include_last_offset && off.empty())
        throw std::invalid_argument("include_last_offset: number of offset should be at least 1");
    if (!off.empty() && off[0] != 0)
        throw std::invalid_argument(
            "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start "
            "from position 0. However, got " +
            std::to_string(off[0]));
    if (!off.empty() && off.back() > n)
        throw std::invalid_argument("offsets[-1] can not be greater than input's length " +
                                    std::to_string(n) + " but got offsets[-1] of " +
                                    std::to_string(off.back()));
    for (std::size_t b = 1; b < off.size(); ++b)
        if (off[b] < off[b - 1])
            throw std::invalid_argument("embedding_bag(): offsets must be non-decreasing, but "
                                        "offsets[" +
                                        std::to_string(b) + "] = " + std::to_string(off[b]) +
                                        " follows " + std::to_string(off[b - 1]));
    plan.bounds = std::move(off);
    // Without include_last_offset the last bag runs to the end of the input; with it, indices
    // after the last offset belong to no bag (PyTorch 1.13 miscounts them into the last mean
    // bag and overruns a buffer for max; we keep the documented meaning).
    if (!include_last_offset) plan.bounds.push_back(n);
    if (plan.bounds.empty()) plan.bounds.push_back(0);
    return plan;
}

// Forward result plus what backward needs: the divisor of each bag (mean) or the row each
// output element came from (max, -1 for an empty bag).
struct BagResult {
    Tensor out;
    std::vector<std::int64_t> counts;
    std::vector<std::int64_t> max_rows;
};

template <class T>
BagResult bag_forward(const Tensor& weight, const BagPlan& plan, BagMode mode, const T* psw,
                      std::int64_t padding) {
    const Tensor w = weight.contiguous();
    const std::int64_t width = w.shape()[1];
    const T* rows = w.data_ptr<T>();
    BagResult result;
    result.out = Tensor::zeros({plan.bags(), width}, weight.dtype());
    T* out = result.out.data_ptr<T>();
    if (mode == BagMode::Mean) result.counts.assign(static_cast<std::size_t>(plan.bags()), 0);
    if (mode == BagMode::Max)
        result.max_rows.assign(static_cast<std::size_t>(plan.bags() * width), -1);
    for (std::int64_t b = 0; b < plan.bags(); ++b) {
        T* acc = out + b * width;
        std::int64_t count = 0;
        for (std::int64_t k = plan.bounds[b]; k < plan.bounds[b + 1]; ++k) {
            const std::int64_t r = plan.idx[static_cast<std::size_t>(k)];
            if (r == padding) continue; // padding takes no part in the bag, nor in its count
            const T* row = rows + r * width;
            if (mode == BagMode::Max) {
                std::int64_t* arg = result.max_rows.data() + b * width;
                // The first maximum wins, as PyTorch's CPU kernel (strict >).
                for (std::int64_t d = 0; d < width; ++d)
                    if (count == 0 || row[d] > acc[d]) {
                        acc[d] = row[d];
                        arg[d] = r;
                    }
            } else {
                axpy(acc, row, psw ? psw[k] : T(1), width);
            }
            ++count;
        }
        if (mode == BagMode::Mean) {
            result.counts[static_cast<std::size_t>(b)] = count;
            if (count > 1) {
                const T inv = T(1) / static_cast<T>(count);
                for (std::int64_t d = 0; d < width; ++d)
                    acc[d] *= inv;
            }
        }
    }
    return result;
}

class EmbeddingBagBackward final : public autograd::Node {
public:
    EmbeddingBagBackward(Shape weight_shape, BagPlan plan, BagMode mode, std::int64_t padding,
                         BagResult&& result, const Tensor& weight, const Tensor& psw)
        : weight_shape_(std::move(weight_shape))
        , plan_(std::move(plan))
        , mode_(mode)
        , padding_(padding)
        , counts_(std::move(result.counts))
        , max_rows_(std::move(result.max_rows))
        , weight_(weight)
        , psw_(psw) {}

    TensorList apply(TensorList&& grads) override {
        TensorList out(2);
        if (!grads[0].defined()) return out;
        const Tensor g = grads[0].contiguous();
        dispatch_floating(g.dtype(), "embedding_bag backward", [&](auto tag) {
            using T = decltype(tag);
            if (needs_input_grad(0)) out[0] = weight_grad<T>(g);
            if (needs_input_grad(1)) out[1] = psw_grad<T>(g);
        });
        return out;
    }
    std::string name() const override { return "EmbeddingBagBackward0"; }
    void release_variables() override {
        weight_.release();
        psw_.release();
    }

private:
    template <class T> Tensor weight_grad(const Tensor& g) const {
        const std::int64_t width = weight_shape_[1];
        Tensor grad = Tensor::zeros(weight_shape_, g.dtype());
        T* dst = grad.data_ptr<T>();
        const T* src = g.data_ptr<T>();
        const Tensor psw = psw_.get().defined() ? psw_.get().contiguous() : Tensor();
        const T* scales = psw.defined() ? psw.data_ptr<T>() : nullptr;
        for (std::int64_t b = 0; b < plan_.bags(); ++b) {
            const T* from = src + b * width;
            if (mode_ == BagMode::Max) {
                const std::int64_t* rows = max_rows_.data() + b * width;
                for (std::int64_t d = 0; d < width; ++d)
                    if (rows[d] >= 0) dst[rows[d] * width + d] += from[d];
                continue;
            }
            T bag_scale = T(1);
            if (mode_ == BagMode::Mean && counts_[static_cast<std::size_t>(b)] > 1)
                bag_scale = T(1) / static_cast<T>(counts_[static_cast<std::size_t>(b)]);
            for (std::int64_t k = plan_.bounds[b]; k < plan_.bounds[b + 1]; ++k) {
                const std::int64_t r = plan_.idx[static_cast<std::size_t>(k)];
                if (r == padding_) continue;
                axpy(dst + r * width, from, scales ? scales[k] : bag_scale, width);
            }
        }
        return grad;
    }

    // d out[b] / d psw[k] is weight row idx[k], so the gradient is a dot product.
    template <class T> Tensor psw_grad(const Tensor& g) const {
        const std::int64_t width = weight_shape_[1];
        const Tensor w = weight_.get().contiguous();
        const T* rows = w.data_ptr<T>();
        const T* src = g.data_ptr<T>();
        Tensor grad = Tensor::zeros(psw_.get().shape(), g.dtype());
        T* dst = grad.data_ptr<T>();
        for (std::int64_t b = 0; b < plan_.bags(); ++b)
            for (std::int64_t k = plan_.bounds[b]; k < plan_.bounds[b + 1]; ++k) {
                const std::int64_t r = plan_.idx[static_cast<std::size_t>(k)];
                if (r == padding_) continue;
                T dot = T(0);
                for (std::int64_t d = 0; d < width; ++d)
                    dot += src[b * width + d] * rows[r * width + d];
                dst[k] = dot;
            }
        return grad;
    }

    Shape weight_shape_;
    BagPlan plan_;
    BagMode mode_;
    std::int64_t padding_;
    std::vector<std::int64_t> counts_;
    std::vector<std::int64_t> max_rows_;
    autograd::SavedTensor weight_; // only to differentiate per_sample_weights
    autograd::SavedTensor psw_;
};

} // namespace

Tensor embedding_bag(const Tensor& weight, const Tensor& input, const Tensor& offsets,
                     std::string_view mode_name, const Tensor& per_sample_weights,
                     bool include_last_offset, std::optional<std::int64_t> padding_idx) {
    if (weight.dim() != 2)
        throw std::invalid_argument("embedding_bag(): weight has to be a 2D Tensor, but got "
                                    "Tensor of dimension " +
                                    std::to_string(weight.dim()));
    const BagMode mode = parse_mode(mode_name);
    const std::int64_t rows = weight.shape()[0];
    std::int64_t padding = -1;
    if (padding_idx) {
        if (*padding_idx >= rows || *padding_idx < -rows)
            throw std::invalid_argument(
                "embedding_bag(): padding_idx must be within the number of embeddings, " +
                std::to_string(-rows) + " through " + std::to_string(rows - 1) + ", but got " +
                std::to_string(*padding_idx));
        padding = *padding_idx < 0 ? *padding_idx + rows : *padding_idx;
    }
    Tensor psw;
    if (per_sample_weights.defined()) {
        if (mode != BagMode::Sum)
            throw std::invalid_argument(
                "embedding_bag(): per_sample_weights is only supported for mode='sum' (got "
                "mode='" +
                std::string(mode_name) + "')");
        if (per_sample_weights.shape() != input.shape())
            throw std::invalid_argument("embedding_bag(): per_sample_weights " +
                                        shape_to_string(per_sample_weights.shape()) +
                                        " must have the same shape as the input " +
                                        shape_to_string(input.shape()));
        if (per_sample_weights.dtype() != weight.dtype())
            throw std::invalid_argument("embedding_bag(): per_sample_weights has dtype " +
                                        std::string(dtype_name(per_sample_weights.dtype())) +
                                        " but weight has dtype " +
                                        std::string(dtype_name(weight.dtype())));
        psw = per_sample_weights.contiguous();
    }
    BagPlan plan = plan_bags(input, offsets, include_last_offset);
    for (std::int64_t i : plan.idx)
        check_bound("embedding_bag()", i, 0, rows);

    BagResult result = dispatch_floating(weight.dtype(), "embedding_bag", [&](auto tag) {
        using T = decltype(tag);
        return bag_forward<T>(weight, plan, mode, psw.defined() ? psw.data_ptr<T>() : nullptr,
                              padding);
    });
    Tensor out = result.out;
    if (autograd::any_requires_grad({&weight, &per_sample_weights})) {
        const bool psw_grad = per_sample_weights.defined() && per_sample_weights.requires_grad();
        auto node = std::make_shared<EmbeddingBagBackward>(weight.shape(), std::move(plan), mode,
                                                           padding, std::move(result),
                                                           psw_grad ? weight : Tensor(), psw);
        autograd::set_history(node, {&weight, &per_sample_weights}, out);
    }
    return out;
}

} // namespace nnscope
