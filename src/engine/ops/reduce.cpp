// Reductions: sum, mean, max, argmax and sum_to (the reverse of expand, used by the autograd
// engine). Floating sums accumulate in double, integer and bool sums in int64 (the result dtype
// PyTorch gives them). Contiguous inputs reduce as [outer, reduced, inner] blocks; anything else
// takes the strided walk.

#include "engine/ops/reduce.h"

#include "engine/autograd/node.h"
#include "engine/ops/along_dim.h"
#include "engine/ops/scalar_type_name.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <type_traits>

namespace nnscope {

namespace {

using autograd::SavedTensor;
using autograd::TensorList;

using DimMask = std::vector<bool>;

template <class T>
using SumAcc = std::conditional_t<std::is_floating_point_v<T>, double, std::int64_t>;
template <class T> using SumOut = std::conditional_t<std::is_floating_point_v<T>, T, std::int64_t>;

// Which dims a reduction removes; an empty list means all of them, as PyTorch 1.13's
// sum(dim=[]) does. A 0-dim tensor accepts dim 0 and -1 and has nothing to remove.
DimMask reduced_mask(const Shape& dims, std::int64_t ndim, const char* op) {
    DimMask mask(static_cast<std::size_t>(ndim), dims.empty());
    DimMask seen(static_cast<std::size_t>(std::max<std::int64_t>(ndim, 1)), false);
    for (std::int64_t d : dims) {
        const auto w = static_cast<std::size_t>(wrap_dim(d, ndim, op));
        if (seen[w])
            throw std::invalid_argument(std::string(op) + ": dim " + std::to_string(w) +
                                        " appears multiple times in the list of dims");
        seen[w] = true;
        if (ndim > 0) mask[w] = true;
    }
    return mask;
}

Shape keepdim_shape(const Shape& shape, const DimMask& mask) {
    Shape out = shape;
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (mask[i]) out[i] = 1;
    return out;
}

Shape reduced_shape(const Shape& shape, const DimMask& mask, bool keepdim) {
    if (keepdim) return keepdim_shape(shape, mask);
    Shape out;
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (!mask[i]) out.push_back(shape[i]);
    return out;
}

std::int64_t reduced_count(const Shape& shape, const DimMask& mask) {
    std::int64_t n = 1;
    for (std::size_t i = 0; i < shape.size(); ++i)
        if (mask[i]) n *= shape[i];
    return n;
}

// A contiguous tensor seen with a different shape of the same element count (row-major order
// unchanged, e.g. with size-1 dims added or removed).
Tensor reinterpret(const Tensor& t, const Shape& shape) {
    Tensor c = t.contiguous();
    return Tensor::from_storage(c.storage(), c.dtype(), shape, contiguous_strides(shape),
                                c.offset());
}

// Sum of n contiguous elements. Floats add in eight lanes over blocks of 1024 and the block
// sums in double: vectorisable without -ffast-math and about as accurate as PyTorch's cascade.
template <class T> SumAcc<T> sum_line(const T* p, std::int64_t n) {
    if constexpr (std::is_floating_point_v<T>) {
        double total = 0.0;
        for (std::int64_t begin = 0; begin < n; begin += 1024) {
            const std::int64_t end = std::min<std::int64_t>(n, begin + 1024);
            T lane[8] = {};
            std::int64_t i = begin;
            for (; i + 8 <= end; i += 8)
                for (int k = 0; k < 8; ++k)
                    lane[k] += p[i + k];
            T rest = 0;
            for (; i < end; ++i)
                rest += p[i];
            total += static_cast<double>(((lane[0] + lane[1]) + (lane[2] + lane[3])) +
                                         ((lane[4] + lane[5]) + (lane[6] + lane[7])) + rest);
        }
        return total;
    } else {
        std::int64_t total = 0;
        for (std::int64_t i = 0; i < n; ++i)
            total += static_cast<std::int64_t>(p[i]);
        return total;
    }
}

// Blocks of sum_line a thread takes at least (64 K elements): a line shorter than two pieces is
// summed by the calling thread.
constexpr std::int64_t kSumBlocksPerPiece = 64;

// sum_line over the team, with the same result: the sum of each 1024-element block is computed
// on its own, so the team computes the block sums and the calling thread adds them to the double
// total in block order, exactly the additions sum_line makes.
template <class T> SumAcc<T> sum_line_parallel(const T* p, std::int64_t n) {
    const std::int64_t blocks = (n + 1023) / 1024;
    if (blocks < 2 * kSumBlocksPerPiece || parallel::num_threads() == 1) return sum_line(p, n);
    std::vector<SumAcc<T>> partial(static_cast<std::size_t>(blocks));
    parallel::parallel_for(blocks, kSumBlocksPerPiece, [&](std::int64_t first, std::int64_t last) {
        for (std::int64_t b = first; b < last; ++b) {
            const std::int64_t begin = b * 1024;
            partial[static_cast<std::size_t>(b)] =
                sum_line(p + begin, std::min<std::int64_t>(1024, n - begin));
        }
    });
    SumAcc<T> total{0};
    for (const SumAcc<T>& v : partial)
        total += v;
    return total;
}

// The contiguous layout [outer, reduced, inner] a reduction mask makes of a shape, when the
// reduced dims form one run (size-1 dims do not count). False for any other pattern.
bool as_block(const Shape& shape, const DimMask& mask, std::int64_t& outer, std::int64_t& reduced,
              std::int64_t& inner) {
    outer = reduced = inner = 1;
    int phase = 0; // 0: before the reduced run, 1: inside it, 2: after it
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == 1) continue;
        if (mask[i]) {
            if (phase == 2) return false;
            phase = 1;
            reduced *= shape[i];
        } else {
            if (phase == 1) phase = 2;
            (phase == 0 ? outer : inner) *= shape[i];
        }
    }
    return true;
}

// Sums x over the masked dims into a fresh contiguous tensor of the keepdim shape, dividing each
// result by `divisor` (1 for sum, the count for mean).
Tensor sum_kernel(const Tensor& x, const DimMask& mask, double divisor, const char* op) {
    const Shape keep = keepdim_shape(x.shape(), mask);
    return dispatch_all(x.dtype(), op, [&](auto tag) {
        using T = decltype(tag);
        using Acc = SumAcc<T>;
        using Out = SumOut<T>;
        Tensor out = Tensor::empty(keep, DTypeOf<Out>::value);
        Out* dst = out.data_ptr<Out>();
        const std::int64_t n_out = out.numel();
        std::vector<Acc> acc(static_cast<std::size_t>(n_out), Acc{0});
        std::int64_t outer, reduced, inner;
        if (x.numel() > 0 && x.is_contiguous() &&
            as_block(x.shape(), mask, outer, reduced, inner)) {
            const T* src = x.data_ptr<T>();
            // Each output adds its inputs in the same order whatever the team: rows are
            // split between threads (or the blocks of one long row), columns of an inner
            // block likewise, never the reduced dim itself.
            if (inner == 1) {
                if (outer == 1) {
                    acc[0] = sum_line_parallel(src, reduced);
                } else {
                    const std::int64_t grain = std::max<std::int64_t>(
                        1, detail::kCheapGrain / std::max<std::int64_t>(1, reduced));
                    parallel::parallel_for(outer, grain,
                                           [&](std::int64_t first, std::int64_t last) {
                                               for (std::int64_t o = first; o < last; ++o)
                                                   acc[static_cast<std::size_t>(o)] =
                                                       sum_line(src + o * reduced, reduced);
                                           });
                }
            } else {
                auto columns = [&](std::int64_t o, std::int64_t first, std::int64_t last) {
                    Acc* a = acc.data() + o * inner;
                    const T* block = src + o * reduced * inner;
                    for (std::int64_t r = 0; r < reduced; ++r)
                        for (std::int64_t i = first; i < last; ++i)
                            a[i] += static_cast<Acc>(block[r * inner + i]);
                };
                const std::int64_t per_output = std::max<std::int64_t>(1, reduced);
                if (outer >= parallel::num_threads()) {
                    const std::int64_t grain =
                        std::max<std::int64_t>(1, detail::kCheapGrain / (per_output * inner));
                    parallel::parallel_for(outer, grain,
                                           [&](std::int64_t first, std::int64_t last) {
                                               for (std::int64_t o = first; o < last; ++o)
                                                   columns(o, 0, inner);
                                           });
                } else {
                    // Few rows (a bias gradient's sum over the batch): split the columns, in
                    // pieces of whole cache lines.
                    const std::int64_t grain =
                        std::max<std::int64_t>(64, detail::kCheapGrain / per_output);
                    for (std::int64_t o = 0; o < outer; ++o)
                        parallel::parallel_for(inner, grain,
                                               [&](std::int64_t first, std::int64_t last) {
                                                   columns(o, first, last);
                                               });
                }
            }
        } else {
            // Output strides that stay put along reduced dims.
            Shape out_strides = contiguous_strides(keep);
            for (std::size_t i = 0; i < mask.size(); ++i)
                if (mask[i]) out_strides[i] = 0;
            const T* base = reinterpret_cast<const T*>(x.storage()->data());
            detail::for_each_strided<2>(x.shape(), {x.strides().data(), out_strides.data()},
                                        {x.offset(), 0}, [&](const auto& o) {
                                            acc[static_cast<std::size_t>(o[1])] +=
                                                static_cast<Acc>(base[o[0]]);
                                        });
        }
        for (std::int64_t i = 0; i < n_out; ++i) {
            if constexpr (std::is_floating_point_v<T>)
                dst[i] =
                    static_cast<Out>(divisor == 1.0 ? acc[static_cast<std::size_t>(i)]
                                                    : acc[static_cast<std::size_t>(i)] / divisor);
            else
                dst[i] = acc[static_cast<std::size_t>(i)];
        }
        return out;
    });
}

// Spreads a gradient of the keepdim shape (or of any shape with the same element order) back
// over `input_shape`, divided by `divisor`: the backward of sum, mean and sum_to.
Tensor expand_grad(const Tensor& grad, const Shape& keep, const Shape& input_shape,
                   double divisor) {
    const Tensor g = reinterpret(grad, keep);
    Tensor out = Tensor::empty(input_shape, g.dtype());
    dispatch_floating(g.dtype(), "sum_backward", [&](auto tag) {
        using T = decltype(tag);
        T* dst = out.data_ptr<T>();
        const T* src = g.data_ptr<T>();
        const std::int64_t n = out.numel();
        if (g.numel() == 1) {
            const T value = static_cast<T>(src[0] / divisor);
            parallel::parallel_for(n, detail::kCheapGrain,
                                   [&](std::int64_t begin, std::int64_t end) {
                                       std::fill(dst + begin, dst + end, value);
                                   });
            return;
        }
        const Shape src_strides = detail::broadcast_strides(g, input_shape);
        const Shape dst_strides = contiguous_strides(input_shape);
        detail::parallel_for_each_strided<2>(
            input_shape, {dst_strides.data(), src_strides.data()}, {0, 0}, detail::kCheapGrain,
            [&](const auto& o) {
                dst[o[0]] = divisor == 1.0 ? src[o[1]] : static_cast<T>(src[o[1]] / divisor);
            });
    });
    return out;
}

class SumBackward final : public autograd::Node {
public:
    SumBackward(std::string name, Shape keep, Shape input_shape, double divisor)
        : name_(std::move(name))
        , keep_(std::move(keep))
        , input_shape_(std::move(input_shape))
        , divisor_(divisor) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined() || !needs_input_grad(0)) return {Tensor()};
        return {expand_grad(grads[0], keep_, input_shape_, divisor_)};
    }
    std::string name() const override { return name_; }

private:
    std::string name_;
    Shape keep_;
    Shape input_shape_;
    double divisor_;
};

void record_sum(const Tensor& x, Tensor& out, const char* name, const DimMask& mask,
                double divisor) {
    if (!autograd::any_requires_grad({&x})) return;
    auto node =
        std::make_shared<SumBackward>(name, keepdim_shape(x.shape(), mask), x.shape(), divisor);
    autograd::set_history(node, {&x}, out);
}

// float16 and bfloat16 reduce in float32 and round the result back, as PyTorch accumulates
// them; the casts are differentiable, so gradients still reach a half-precision leaf.
bool is_half(DType dtype) {
    return dtype == DType::Float16 || dtype == DType::BFloat16;
}

Tensor sum_impl(const Tensor& x, const DimMask& mask, const Shape& out_shape, const char* name) {
    if (is_half(x.dtype()))
        return sum_impl(x.to(DType::Float32), mask, out_shape, name).to(x.dtype());
    Tensor out = reinterpret(sum_kernel(x, mask, 1.0, "sum"), out_shape);
    record_sum(x, out, name, mask, 1.0);
    return out;
}

Tensor mean_impl(const Tensor& x, const DimMask& mask, const Shape& out_shape, const char* name) {
    if (!x.is_floating_point())
        throw std::invalid_argument("mean(): could not infer output dtype. Input dtype must be "
                                    "either a floating point or complex dtype. Got: " +
                                    std::string(detail::scalar_type_name(x.dtype())));
    if (is_half(x.dtype()))
        return mean_impl(x.to(DType::Float32), mask, out_shape, name).to(x.dtype());
    const auto count = static_cast<double>(reduced_count(x.shape(), mask));
    Tensor out = reinterpret(sum_kernel(x, mask, count, "mean"), out_shape);
    record_sum(x, out, name, mask, count);
    return out;
}

// Elements per chunk of a reduction over everything (fixed, whatever the team).
constexpr std::int64_t kReduceChunk = 65536;

// v beats best in a max: larger, or the first NaN (NaN is the maximum, as in PyTorch).
template <class T> bool beats(T v, T best) {
    if constexpr (std::is_floating_point_v<T>)
        return v > best || (std::isnan(v) && !std::isnan(best));
    else
        return v > best;
}

// The gradient of max() goes to every element equal to the maximum, split evenly (PyTorch's
// evenly_distribute_backward).
class MaxAllBackward final : public autograd::Node {
public:
    MaxAllBackward(const Tensor& x, const Tensor& result)
        : x_(x)
        , result_(result) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined() || !needs_input_grad(0)) return {Tensor()};
        const Tensor x = x_.get().contiguous();
        Tensor out = Tensor::empty(x.shape(), x.dtype());
        dispatch_floating(x.dtype(), "max_backward", [&](auto tag) {
            using T = decltype(tag);
            const T* src = x.data_ptr<T>();
            T* dst = out.data_ptr<T>();
            const T best = static_cast<T>(result_.get().item());
            const T g = static_cast<T>(grads[0].item());
            const std::int64_t n = x.numel();
            auto hit = [&](T v) { return v == best || (std::isnan(v) && std::isnan(best)); };
            // An integer count: exact in any order.
            const std::int64_t count = parallel::parallel_reduce(
                n, kReduceChunk, std::int64_t{0},
                [&](std::int64_t begin, std::int64_t end) {
                    std::int64_t c = 0;
                    for (std::int64_t i = begin; i < end; ++i)
                        c += hit(src[i]);
                    return c;
                },
                [](std::int64_t a, std::int64_t b) { return a + b; });
            const T share = g / static_cast<T>(count);
            parallel::parallel_for(n, detail::kCheapGrain,
                                   [&](std::int64_t begin, std::int64_t end) {
                                       for (std::int64_t i = begin; i < end; ++i)
                                           dst[i] = hit(src[i]) ? share : T(0);
                                   });
        });
        return {out};
    }
    std::string name() const override { return "MaxBackward1"; }
    void release_variables() override {
        x_.release();
        result_.release();
    }

private:
    SavedTensor x_;
    SavedTensor result_;
};

// The gradient of max(dim) goes to the selected index of each line.
class MaxDimBackward final : public autograd::Node {
public:
    MaxDimBackward(const Tensor& indices, Shape input_shape, std::int64_t dim)
        : indices_(indices)
        , input_shape_(std::move(input_shape))
        , dim_(dim) {}
    TensorList apply(TensorList&& grads) override {
        if (!grads[0].defined() || !needs_input_grad(0)) return {Tensor()};
        const Tensor& indices = indices_.get(); // contiguous, keepdim shape
        const Tensor g = reinterpret(grads[0], indices.shape());
        Tensor out = Tensor::zeros(input_shape_, g.dtype());
        dispatch_floating(g.dtype(), "max_backward", [&](auto tag) {
            using T = decltype(tag);
            const T* src = g.data_ptr<T>();
            const std::int64_t* idx = indices.data_ptr<std::int64_t>();
            T* dst = out.data_ptr<T>();
            const Shape out_strides = contiguous_strides(input_shape_);
            const Shape keep_strides = contiguous_strides(indices.shape());
            const std::int64_t step =
                input_shape_.empty() ? 1 : out_strides[static_cast<std::size_t>(dim_)];
            detail::for_each_line<2>(
                input_shape_, dim_, {out_strides.data(), keep_strides.data()}, {0, 0},
                [&](const auto& o) { dst[o[0] + idx[o[1]] * step] = src[o[1]]; });
        });
        return {out};
    }
    std::string name() const override { return "MaxBackward0"; }
    void release_variables() override { indices_.release(); }

private:
    SavedTensor indices_;
    Shape input_shape_;
    std::int64_t dim_;
};

// Values and indices of the maximum along dim, both contiguous with the keepdim shape.
std::pair<Tensor, Tensor> max_along(const Tensor& x, std::int64_t dim, const char* op) {
    if (x.dim() > 0 && x.shape()[static_cast<std::size_t>(dim)] == 0)
        throw std::invalid_argument(std::string(op) + "(): Expected reduction dim " +
                                    std::to_string(dim) + " to have non-zero size.");
    Shape keep = x.shape();
    if (!keep.empty()) keep[static_cast<std::size_t>(dim)] = 1;
    Tensor values = Tensor::empty(keep, x.dtype());
    Tensor indices = Tensor::empty(keep, DType::Int64);
    dispatch_all(x.dtype(), op, [&](auto tag) {
        using T = decltype(tag);
        const T* src = reinterpret_cast<const T*>(x.storage()->data());
        T* vals = values.data_ptr<T>();
        std::int64_t* idx = indices.data_ptr<std::int64_t>();
        const Shape keep_strides = contiguous_strides(keep);
        const std::int64_t length = x.dim() == 0 ? 1 : x.shape()[static_cast<std::size_t>(dim)];
        const std::int64_t step = x.dim() == 0 ? 0 : x.strides()[static_cast<std::size_t>(dim)];
        detail::parallel_for_each_line<2>(x.shape(), dim, {x.strides().data(), keep_strides.data()},
                                          {x.offset(), 0}, detail::kCheapGrain, [&](const auto& o) {
                                              T best = src[o[0]];
                                              std::int64_t at = 0;
                                              for (std::int64_t k = 1; k < length; ++k) {
                                                  const T v = src[o[0] + k * step];
                                                  if (beats(v, best)) {
                                                      best = v;
                                                      at = k;
                                                  }
                                              }
                                              vals[o[1]] = best;
                                              idx[o[1]] = at;
                                          });
    });
    return {values, indices};
}

} // namespace

Tensor sum(const Tensor& x) {
    const DimMask mask(x.shape().size(), true);
    return sum_impl(x, mask, {}, "SumBackward0");
}

Tensor sum(const Tensor& x, const Shape& dims, bool keepdim) {
    const DimMask mask = reduced_mask(dims, x.dim(), "sum");
    return sum_impl(x, mask, reduced_shape(x.shape(), mask, keepdim), "SumBackward1");
}

Tensor mean(const Tensor& x) {
    const DimMask mask(x.shape().size(), true);
    return mean_impl(x, mask, {}, "MeanBackward0");
}

Tensor mean(const Tensor& x, const Shape& dims, bool keepdim) {
    const DimMask mask = reduced_mask(dims, x.dim(), "mean");
    return mean_impl(x, mask, reduced_shape(x.shape(), mask, keepdim), "MeanBackward1");
}

Tensor max(const Tensor& x) {
    if (is_half(x.dtype())) return max(x.to(DType::Float32)).to(x.dtype());
    if (x.numel() == 0)
        throw std::invalid_argument("max(): Expected reduction dim to be specified for "
                                    "input.numel() == 0. Specify the reduction dim with the "
                                    "'dim' argument.");
    Tensor out = Tensor::empty({}, x.dtype());
    dispatch_all(x.dtype(), "max", [&](auto tag) {
        using T = decltype(tag);
        const T* src = reinterpret_cast<const T*>(x.storage()->data());
        // Fixed chunks, each chunk's maximum taken in order and the chunks' maxima compared in
        // order: the first of equal values and the first NaN win, as in one serial pass.
        auto chunk_max = [&](std::int64_t begin, std::int64_t end) {
            bool first = true;
            T best{};
            detail::for_each_strided_range<1>(x.shape(), {x.strides().data()}, {x.offset()}, begin,
                                              end, [&](const auto& o) {
                                                  const T v = src[o[0]];
                                                  if (first || beats(v, best)) best = v;
                                                  first = false;
                                              });
            return best;
        };
        const std::int64_t n = x.numel();
        const std::int64_t chunks = (n + kReduceChunk - 1) / kReduceChunk;
        struct Slot { // not std::vector<bool>: threads write neighbouring slots
            T value;
        };
        std::vector<Slot> partial(static_cast<std::size_t>(chunks));
        parallel::for_each_chunk(
            n, kReduceChunk, [&](std::int64_t i, std::int64_t begin, std::int64_t end) {
                partial[static_cast<std::size_t>(i)].value = chunk_max(begin, end);
            });
        T best = partial[0].value;
        for (std::size_t i = 1; i < partial.size(); ++i)
            if (beats(partial[i].value, best)) best = partial[i].value;
        *out.data_ptr<T>() = best;
    });
    if (autograd::any_requires_grad({&x})) {
        auto node = std::make_shared<MaxAllBackward>(x, out);
        autograd::set_history(node, {&x}, out);
    }
    return out;
}

std::pair<Tensor, Tensor> max(const Tensor& x, std::int64_t dim, bool keepdim) {
    if (is_half(x.dtype())) {
        auto [values, indices] = max(x.to(DType::Float32), dim, keepdim);
        return {values.to(x.dtype()), indices};
    }
    const Shape out_shape = reduced_shape(x.shape(), reduced_mask({dim}, x.dim(), "max"), keepdim);
    dim = wrap_dim(dim, x.dim(), "max");
    auto [values, indices] = max_along(x, dim, "max");
    const Tensor keep_indices = indices;
    values = reinterpret(values, out_shape);
    indices = reinterpret(indices, out_shape);
    if (autograd::any_requires_grad({&x})) {
        auto node = std::make_shared<MaxDimBackward>(keep_indices, x.shape(), dim);
        autograd::set_history(node, {&x}, values);
    }
    return {values, indices};
}

Tensor argmax(const Tensor& x, std::optional<std::int64_t> dim, bool keepdim) {
    if (x.dtype() == DType::Bool)
        throw std::invalid_argument("\"argmax_cpu\" not implemented for 'Bool'");
    if (is_half(x.dtype())) return argmax(x.to(DType::Float32), dim, keepdim);
    if (!dim) {
        if (x.numel() == 0)
            throw std::invalid_argument("argmax(): Expected reduction dim to be specified for "
                                        "input.numel() == 0.");
        // Flattened: the index counts elements in row-major order.
        const Tensor index = max_along(reinterpret(x, {x.numel()}), 0, "argmax").second;
        return reinterpret(index, keepdim ? Shape(x.shape().size(), 1) : Shape{});
    }
    const Shape out_shape =
        reduced_shape(x.shape(), reduced_mask({*dim}, x.dim(), "argmax"), keepdim);
    return reinterpret(max_along(x, wrap_dim(*dim, x.dim(), "argmax"), "argmax").second, out_shape);
}

Tensor sum_to(const Tensor& x, const Shape& shape) {
    const Shape& from = x.shape();
    auto fail = [&] {
        return std::invalid_argument("sum_to: shape " + shape_to_string(shape) +
                                     " is not expandable to size " + shape_to_string(from));
    };
    if (shape.size() > from.size()) throw fail();
    const std::size_t leading = from.size() - shape.size();
    DimMask mask(from.size(), false);
    bool any = false;
    for (std::size_t i = 0; i < from.size(); ++i) {
        if (i < leading) {
            mask[i] = true;
        } else if (shape[i - leading] != from[i]) {
            if (shape[i - leading] != 1) throw fail();
            mask[i] = true;
        }
        any = any || mask[i];
    }
    if (!any) return x;
    Tensor out = reinterpret(sum_kernel(x, mask, 1.0, "sum_to"), shape);
    record_sum(x, out, "SumBackward1", mask, 1.0);
    return out;
}

} // namespace nnscope
