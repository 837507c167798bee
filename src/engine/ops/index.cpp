// index_select and embedding: rows picked by an index, copied whole (memcpy) from a contiguous
// input; other layouts go through strided copies. Indices are never differentiated.

#include "engine/ops/index.h"

#include "engine/autograd/node.h"
#include "engine/ops/index_common.h"

#include <stdexcept>
#include <string>

namespace nnscope {

namespace {

using autograd::TensorList;
using detail::add_slices;
using detail::check_bound;
using detail::index_values;
using detail::size_at;
using detail::take_slices;

class IndexSelectBackward final : public autograd::Node {
public:
    IndexSelectBackward(Shape shape, std::int64_t dim, std::vector<std::int64_t> idx)
        : shape_(std::move(shape))
        , dim_(dim)
        , idx_(std::move(idx)) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined()) return {Tensor()};
        return {add_slices(shape_, dim_, idx_, grads[0])};
    }
    std::string name() const override { return "IndexSelectBackward0"; }

private:
    Shape shape_;
    std::int64_t dim_;
    std::vector<std::int64_t> idx_;
};

class EmbeddingBackward final : public autograd::Node {
public:
    EmbeddingBackward(Shape shape, std::vector<std::int64_t> idx, std::int64_t padding_idx)
        : shape_(std::move(shape))
        , idx_(std::move(idx))
        , padding_idx_(padding_idx) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined()) return {Tensor()};
        const Tensor g = grads[0].reshape({static_cast<std::int64_t>(idx_.size()), shape_[1]});
        return {add_slices(shape_, 0, idx_, g, padding_idx_)};
    }
    std::string name() const override { return "EmbeddingBackward0"; }

private:
    Shape shape_;
    std::vector<std::int64_t> idx_;
    std::int64_t padding_idx_;
};

} // namespace

Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index) {
    if (index.dim() > 1)
        throw std::invalid_argument("index_select(): Index is supposed to be a vector, got shape " +
                                    shape_to_string(index.shape()));
    const std::int64_t d = wrap_dim(dim, x.dim(), "index_select");
    const std::vector<std::int64_t> idx = index_values(index, "index_select()", true);
    Shape shape_out = x.shape();
    if (x.dim() == 0) {
        if (idx.size() != 1)
            throw std::invalid_argument("index_select(): Index to scalar can have only 1 value, "
                                        "got " +
                                        std::to_string(idx.size()) + " value(s)");
    } else {
        shape_out[static_cast<std::size_t>(d)] = static_cast<std::int64_t>(idx.size());
    }
    const std::int64_t size = size_at(x, d);
    for (std::int64_t i : idx)
        check_bound("index_select()", i, d, size);
    Tensor out = take_slices(x, d, idx, shape_out);
    if (autograd::any_requires_grad({&x}))
        autograd::set_history(std::make_shared<IndexSelectBackward>(x.shape(), d, idx), {&x}, out);
    return out;
}

Tensor embedding(const Tensor& weight, const Tensor& indices,
                 std::optional<std::int64_t> padding_idx) {
    if (weight.dim() != 2)
        throw std::invalid_argument("embedding(): 'weight' must be 2-D, got shape " +
                                    shape_to_string(weight.shape()));
    const std::int64_t rows = weight.shape()[0];
    std::int64_t padding = -1;
    if (padding_idx) {
        if (*padding_idx >= rows || *padding_idx < -rows)
            throw std::invalid_argument("embedding(): Padding_idx must be within num_embeddings "
                                        "(got " +
                                        std::to_string(*padding_idx) + " for " +
                                        std::to_string(rows) + " embeddings)");
        padding = *padding_idx < 0 ? *padding_idx + rows : *padding_idx;
    }
    std::vector<std::int64_t> idx = index_values(indices, "embedding()", true);
    for (std::int64_t i : idx)
        check_bound("embedding()", i, 0, rows);
    Shape shape_out = indices.shape();
    shape_out.push_back(weight.shape()[1]);
    Shape flat_shape{static_cast<std::int64_t>(idx.size()), weight.shape()[1]};
    Tensor out = take_slices(weight, 0, idx, flat_shape);
    // The copy is fresh and contiguous: give it the indices' shape in place.
    out.unsafe_impl()->shape = shape_out;
    out.unsafe_impl()->strides = contiguous_strides(shape_out);
    if (autograd::any_requires_grad({&weight}))
        autograd::set_history(
            std::make_shared<EmbeddingBackward>(weight.shape(), std::move(idx), padding), {&weight},
            out);
    return out;
}

} // namespace nnscope
