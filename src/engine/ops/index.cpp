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
using detail::check_index_dtype;
using detail::check_indices_dtype;
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
        // index_add_ on a 0-dim gradient: PyTorch 1.13 refuses it unless one index was given.
        if (shape_.empty() && idx_.size() != 1)
            throw std::out_of_range("Dimension specified as 0 but tensor has no dimensions");
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

// index_select's range check, in the words of the CPU kernel path PyTorch 1.13 takes: the
// dim-1 fast path of a tensor with two or more dims (and any empty one) reports the value in
// Caffe2's words, every other path says only "index out of range in self" (an IndexError).
void check_select_range(const Tensor& x, std::int64_t d, const std::vector<std::int64_t>& idx) {
    const std::int64_t size = size_at(x, d);
    const bool caffe2_words = x.dim() > 1 && (d == 1 || x.numel() == 0);
    if (x.dim() > 1 && x.numel() == 0 && size == 0 && !idx.empty())
        throw std::invalid_argument("index_select(): self indexing axis dim should be positive");
    for (std::int64_t i : idx) {
        if (i >= 0 && i < size) continue;
        if (caffe2_words)
            throw std::invalid_argument("INDICES element is out of DATA bounds, id=" +
                                        std::to_string(i) + " axis_dim=" + std::to_string(size));
        throw std::out_of_range("index out of range in self");
    }
}

} // namespace

Tensor index_select(const Tensor& x, std::int64_t dim, const Tensor& index) {
    const std::int64_t d = wrap_dim(dim, x.dim(), nullptr);
    if (index.dim() > 1)
        throw std::out_of_range("index_select(): Index is supposed to be a vector");
    check_index_dtype(index, "index_select()", true);
    const std::vector<std::int64_t> idx = index_values(index);
    Shape shape_out = x.shape();
    // A 0-dim input gives a 0-dim output whatever the number of indices (PyTorch 1.13; its
    // backward then refuses more than one).
    if (x.dim() > 0) shape_out[static_cast<std::size_t>(d)] = static_cast<std::int64_t>(idx.size());
    // PyTorch checks nothing when there is nothing to select from a tensor of 2 or more dims.
    if (!(x.dim() > 1 && idx.empty())) check_select_range(x, d, idx);
    Tensor out = take_slices(x, d, idx, shape_out);
    if (autograd::any_requires_grad({&x}))
        autograd::set_history(std::make_shared<IndexSelectBackward>(x.shape(), d, idx), {&x}, out);
    return out;
}

Tensor embedding(const Tensor& weight, const Tensor& indices,
                 std::optional<std::int64_t> padding_idx) {
    // F.embedding's order: its assertion on padding_idx, then torch.embedding's checks.
    const std::int64_t rows = weight.dim() > 0 ? weight.shape()[0] : 1;
    std::int64_t padding = -1;
    if (padding_idx) {
        if (*padding_idx >= rows || *padding_idx < -rows)
            throw std::invalid_argument("Padding_idx must be within num_embeddings");
        padding = *padding_idx < 0 ? *padding_idx + rows : *padding_idx;
    }
    if (weight.dim() != 2) throw std::invalid_argument("'weight' must be 2-D");
    check_indices_dtype(indices, "embedding");
    std::vector<std::int64_t> idx = index_values(indices);
    for (std::int64_t i : idx)
        if (i < 0 || i >= rows) throw std::out_of_range("index out of range in self");
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
