// Indexing ops: index_select, gather, scatter_add, embedding and embedding_bag.
//
// Indices are never differentiated. The common layouts take fast paths: index_select and
// embedding copy whole rows of a contiguous input with memcpy, embedding_bag accumulates rows of a
// contiguous weight in plain loops; other layouts go through strided walks.

#include "engine/ops/index.h"

#include "engine/autograd/node.h"
#include "engine/ops/strided.h"

#include <Eigen/Core>
#include <cstring>
#include <stdexcept>
#include <string>

namespace nnscope {

namespace {

using autograd::TensorList;

std::string bounds_message(const char* op, std::int64_t index, std::int64_t dim,
                           std::int64_t size) {
    return std::string(op) + ": index " + std::to_string(index) +
           " is out of bounds for dimension " + std::to_string(dim) + " with size " +
           std::to_string(size);
}

void check_bound(const char* op, std::int64_t index, std::int64_t dim, std::int64_t size) {
    if (index < 0 || index >= size) throw std::out_of_range(bounds_message(op, index, dim, size));
}

// The index values of an int64 (or, where PyTorch allows it, int32) tensor.
std::vector<std::int64_t> index_values(const Tensor& index, const char* op, bool allow_int32) {
    if (index.dtype() != DType::Int64 && !(allow_int32 && index.dtype() == DType::Int32))
        throw std::invalid_argument(std::string(op) + ": expected dtype " +
                                    (allow_int32 ? "int32 or int64" : "int64") +
                                    " for index, got " + std::string(dtype_name(index.dtype())));
    if (index.dtype() == DType::Int64 && index.is_contiguous()) {
        const std::int64_t* data = index.data_ptr<std::int64_t>();
        return {data, data + index.numel()};
    }
    return index.to_int64_vector();
}

// Extent and stride of dim d, treating a 0-dim tensor as one element.
std::int64_t size_at(const Tensor& t, std::int64_t d) {
    return t.dim() == 0 ? 1 : t.shape()[d];
}
std::int64_t stride_at(const Tensor& t, std::int64_t d) {
    return t.dim() == 0 ? 0 : t.strides()[d];
}

// Splits a shape around dim: elements before it (outer) and after it (inner).
std::pair<std::int64_t, std::int64_t> outer_inner(const Shape& shape, std::int64_t dim) {
    std::int64_t outer = 1, inner = 1;
    for (std::int64_t k = 0; k < static_cast<std::int64_t>(shape.size()); ++k)
        (k < dim ? outer : inner) *= k == dim ? 1 : shape[static_cast<std::size_t>(k)];
    return {outer, inner};
}

// to += scale * from over n elements of buffers that never overlap. Eigen vectorises it
// explicitly; GCC leaves the plain loop scalar at -O2.
template <class T> void axpy(T* to, const T* from, T scale, std::int64_t n) {
    using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
    Eigen::Map<Array>(to, n) += scale * Eigen::Map<const Array>(from, n);
}

// x's slices idx[0], idx[1], ... along dim, stacked along dim into a fresh contiguous tensor.
Tensor take_slices(const Tensor& x, std::int64_t dim, const std::vector<std::int64_t>& idx,
                   Shape shape_out) {
    Tensor out = Tensor::empty(shape_out, x.dtype());
    if (out.numel() == 0) return out;
    if (x.dim() == 0) {
        out.copy_(x);
        return out;
    }
    if (x.is_contiguous()) {
        const auto [outer, inner] = outer_inner(x.shape(), dim);
        const std::size_t row = static_cast<std::size_t>(inner) * element_size(x.dtype());
        const std::int64_t in_rows = x.shape()[static_cast<std::size_t>(dim)];
        const auto* src = static_cast<const std::byte*>(x.raw_data());
        auto* dst = static_cast<std::byte*>(out.raw_data());
        for (std::int64_t o = 0; o < outer; ++o)
            for (std::size_t j = 0; j < idx.size(); ++j, dst += row)
                std::memcpy(dst, src + (o * in_rows + idx[j]) * row, row);
        return out;
    }
    for (std::size_t j = 0; j < idx.size(); ++j)
        out.select(dim, static_cast<std::int64_t>(j)).copy_(x.select(dim, idx[j]));
    return out;
}

// The reverse of take_slices: a zero tensor of `shape` with grad's slice j added into slice
// idx[j] along dim (repeats accumulate); slices equal to `skip` get nothing.
Tensor add_slices(const Shape& shape, std::int64_t dim, const std::vector<std::int64_t>& idx,
                  const Tensor& grad, std::int64_t skip = -1) {
    Tensor out = Tensor::zeros(shape, grad.dtype());
    const Tensor g = grad.contiguous();
    if (shape.empty()) {
        out.copy_(g.reshape({}));
        return out;
    }
    const auto [outer, inner] = outer_inner(shape, dim);
    const std::int64_t rows = shape[static_cast<std::size_t>(dim)];
    const auto n = static_cast<std::int64_t>(idx.size());
    dispatch_floating(grad.dtype(), "index backward", [&](auto tag) {
        using T = decltype(tag);
        T* dst = out.data_ptr<T>();
        const T* src = g.data_ptr<T>();
        for (std::int64_t o = 0; o < outer; ++o)
            for (std::int64_t j = 0; j < n; ++j) {
                if (idx[j] == skip) continue;
                axpy(dst + (o * rows + idx[j]) * inner, src + (o * n + j) * inner, T(1), inner);
            }
    });
    return out;
}

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

// Checks gather/scatter_add index shapes as PyTorch's scatter_gather_dtype_check family.
void check_gather_shapes(const char* op, const Tensor& self, std::int64_t dim, const Tensor& index,
                         const Tensor* src) {
    if (index.dim() != self.dim() && !(index.numel() == 0 && index.dim() <= 1))
        throw std::invalid_argument(std::string(op) +
                                    ": Index tensor must have the same number of dimensions as "
                                    "input tensor (index " +
                                    shape_to_string(index.shape()) + ", input " +
                                    shape_to_string(self.shape()) + ")");
    if (src && index.dim() != src->dim() && index.numel() != 0)
        throw std::invalid_argument(std::string(op) +
                                    ": Index tensor must have the same number of dimensions as "
                                    "src tensor (index " +
                                    shape_to_string(index.shape()) + ", src " +
                                    shape_to_string(src->shape()) + ")");
    if (index.numel() == 0) return;
    for (std::int64_t d = 0; d < index.dim(); ++d) {
        const std::int64_t n = index.shape()[static_cast<std::size_t>(d)];
        const bool over_self = d != dim && n > self.shape()[static_cast<std::size_t>(d)];
        const bool over_src = src && n > src->shape()[static_cast<std::size_t>(d)];
        if (!over_self && !over_src) continue;
        const std::string expectation =
            "index " + shape_to_string(index.shape()) + " to be smaller than self " +
            shape_to_string(self.shape()) + " apart from dimension " + std::to_string(dim);
        if (src)
            throw std::invalid_argument(std::string(op) + ": Expected " + expectation +
                                        " and to be smaller size than src " +
                                        shape_to_string(src->shape()));
        throw std::invalid_argument(std::string(op) + ": Size does not match at dimension " +
                                    std::to_string(d) + " expected " + expectation);
    }
}

// Walks every element of `index` with the offsets of index, a (read) and b, where b's stride
// along dim is 0: fn(index value, offset in a, offset in b).
template <class Fn>
void walk_index(const char* op, const Tensor& index, std::int64_t dim, const Tensor& a,
                const Tensor& b, std::int64_t b_dim_size, Fn&& fn) {
    Shape b_strides = b.strides();
    if (!b_strides.empty()) b_strides[static_cast<std::size_t>(dim)] = 0;
    const std::int64_t b_dim_stride = stride_at(b, dim);
    const std::int64_t* idx = reinterpret_cast<const std::int64_t*>(index.storage()->data());
    detail::for_each_strided<3>(index.shape(),
                                {index.strides().data(), a.strides().data(), b_strides.data()},
                                {index.offset(), a.offset(), b.offset()}, [&](const auto& o) {
                                    const std::int64_t i = idx[o[0]];
                                    check_bound(op, i, dim, b_dim_size);
                                    fn(o[1], o[2] + i * b_dim_stride);
                                });
}

class GatherBackward final : public autograd::Node {
public:
    GatherBackward(Shape shape, std::int64_t dim, const Tensor& index)
        : shape_(std::move(shape))
        , dim_(dim)
        , index_(index) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined()) return {Tensor(), Tensor()};
        return {scatter_add(Tensor::zeros(shape_, grads[0].dtype()), dim_, index_.get(), grads[0]),
                Tensor()};
    }
    std::string name() const override { return "GatherBackward0"; }
    void release_variables() override { index_.release(); }

private:
    Shape shape_;
    std::int64_t dim_;
    autograd::SavedTensor index_;
};

class ScatterAddBackward final : public autograd::Node {
public:
    ScatterAddBackward(std::int64_t dim, const Tensor& index, Shape src_shape)
        : dim_(dim)
        , index_(index)
        , src_shape_(std::move(src_shape)) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined()) return {Tensor(), Tensor(), Tensor()};
        Tensor grad_src;
        if (needs_input_grad(2)) {
            const Tensor& index = index_.get();
            grad_src = gather(grads[0], dim_, index);
            // src may be larger than index: its other elements took no part.
            if (grad_src.shape() != src_shape_) {
                Tensor padded = Tensor::zeros(src_shape_, grads[0].dtype());
                Tensor corner = padded;
                for (std::int64_t d = 0; d < index.dim(); ++d)
                    corner = corner.narrow(d, 0, index.shape()[static_cast<std::size_t>(d)]);
                corner.copy_(grad_src);
                grad_src = padded;
            }
        }
        return {needs_input_grad(0) ? grads[0] : Tensor(), Tensor(), grad_src};
    }
    std::string name() const override { return "ScatterAddBackward0"; }
    void release_variables() override { index_.release(); }

private:
    std::int64_t dim_;
    autograd::SavedTensor index_;
    Shape src_shape_;
};

// --- embedding_bag ------------------------------------------------------------------------------

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
    plan.idx = index_values(input, "embedding_bag()", true);
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
    std::vector<std::int64_t> off = index_values(offsets, "embedding_bag() offsets", true);
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

Tensor gather(const Tensor& x, std::int64_t dim, const Tensor& index) {
    if (index.dtype() != DType::Int64)
        throw std::invalid_argument("gather(): Expected dtype int64 for index, got " +
                                    std::string(dtype_name(index.dtype())));
    const std::int64_t d = wrap_dim(dim, x.dim(), "gather");
    check_gather_shapes("gather()", x, d, index, nullptr);
    Tensor out = Tensor::empty(index.shape(), x.dtype());
    const std::size_t item = element_size(x.dtype());
    auto* dst = out.storage()->data();
    const auto* src = x.storage()->data();
    walk_index("gather()", index, d, out, x, size_at(x, d), [&](std::int64_t o, std::int64_t s) {
        std::memcpy(dst + o * item, src + s * item, item);
    });
    if (autograd::any_requires_grad({&x}))
        autograd::set_history(std::make_shared<GatherBackward>(x.shape(), d, index), {&x, &index},
                              out);
    return out;
}

Tensor scatter_add(const Tensor& x, std::int64_t dim, const Tensor& index, const Tensor& src) {
    if (index.dtype() != DType::Int64)
        throw std::invalid_argument("scatter_add(): Expected dtype int64 for index, got " +
                                    std::string(dtype_name(index.dtype())));
    if (x.dtype() != src.dtype())
        throw std::invalid_argument("scatter_add(): Expected self.dtype to be equal to src.dtype "
                                    "(got " +
                                    std::string(dtype_name(x.dtype())) + " and " +
                                    std::string(dtype_name(src.dtype())) + ")");
    const std::int64_t d = wrap_dim(dim, x.dim(), "scatter_add");
    check_gather_shapes("scatter_add()", x, d, index, &src);
    Tensor out = Tensor::empty(x.shape(), x.dtype());
    out.copy_(x);
    dispatch_all(x.dtype(), "scatter_add", [&](auto tag) {
        using T = decltype(tag);
        auto* dst = reinterpret_cast<T*>(out.storage()->data());
        const auto* from = reinterpret_cast<const T*>(src.storage()->data());
        walk_index(
            "scatter_add()", index, d, src, out, size_at(x, d),
            [&](std::int64_t s, std::int64_t o) { dst[o] = static_cast<T>(dst[o] + from[s]); });
    });
    if (autograd::any_requires_grad({&x, &src}))
        autograd::set_history(std::make_shared<ScatterAddBackward>(d, index, src.shape()),
                              {&x, &index, &src}, out);
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
