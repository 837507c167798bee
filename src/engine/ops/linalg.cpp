// Matrix products. Every product is one call of Eigen's GEMM on the operands' own memory:
// transposes are strides, never copies, and backward computes only the gradients asked for.

#include "engine/ops/linalg.h"

#include "engine/autograd/node.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/kernels/checks.h"
#include "engine/ops/kernels/gemm.h"
#include "engine/ops/reduce.h"

#include <stdexcept>

namespace nnscope {

using autograd::Node;
using autograd::SavedTensor;
using autograd::TensorList;

namespace {

template <class T> kernels::MatRef<T> mat(const Tensor& t, bool transpose) {
    kernels::MatRef<T> m{t.data_ptr<T>(), t.size(0), t.size(1), t.stride(0), t.stride(1)};
    return transpose ? m.transposed() : m;
}

// alpha · op(a) · op(b) of two 2-D tensors, as a fresh contiguous tensor.
Tensor product(const Tensor& a, bool ta, const Tensor& b, bool tb, double alpha = 1.0) {
    return dispatch_floating(a.dtype(), "mm", [&](auto tag) {
        using T = decltype(tag);
        const auto ra = mat<T>(a, ta);
        const auto rb = mat<T>(b, tb);
        Tensor out = Tensor::empty({ra.rows, rb.cols}, a.dtype());
        kernels::gemm<T>(ra, rb, out.data_ptr<T>(), rb.cols, T(alpha), T(0));
        return out;
    });
}

// The same per batch entry of two 3-D tensors.
Tensor batched_product(const Tensor& a, bool ta, const Tensor& b, bool tb) {
    return dispatch_floating(a.dtype(), "bmm", [&](auto tag) {
        using T = decltype(tag);
        const std::int64_t batch = a.size(0);
        kernels::MatRef<T> ra{a.data_ptr<T>(), a.size(1), a.size(2), a.stride(1), a.stride(2)};
        kernels::MatRef<T> rb{b.data_ptr<T>(), b.size(1), b.size(2), b.stride(1), b.stride(2)};
        if (ta) ra = ra.transposed();
        if (tb) rb = rb.transposed();
        Tensor out = Tensor::empty({batch, ra.rows, rb.cols}, a.dtype());
        T* o = out.data_ptr<T>();
        const T* a0 = ra.data;
        const T* b0 = rb.data;
        for (std::int64_t i = 0; i < batch; ++i) {
            ra.data = a0 + i * a.stride(0);
            rb.data = b0 + i * b.stride(0);
            kernels::gemm<T>(ra, rb, o + i * ra.rows * rb.cols, rb.cols);
        }
        return out;
    });
}

void check_matrix(const Tensor& t, const char* what) {
    if (t.dim() != 2)
        throw std::invalid_argument(std::string(what) + " must be a matrix, got " +
                                    std::to_string(t.dim()) + "-D tensor");
}

void check_multipliable(std::int64_t n, std::int64_t k1, std::int64_t k2, std::int64_t m) {
    if (k1 != k2)
        throw std::invalid_argument("mat1 and mat2 shapes cannot be multiplied (" +
                                    kernels::matrix_size(n, k1) + " and " +
                                    kernels::matrix_size(k2, m) + ")");
}

// mm and bmm: grad_a = g·bᵀ, grad_b = aᵀ·g, per matrix or per batch entry.
template <bool Batched> class ProductBackward final : public Node {
public:
    SavedTensor a, b;
    TensorList apply(TensorList&& grads) override {
        TensorList out(2);
        const Tensor& g = grads[0];
        if (!g.defined()) return out;
        const auto multiply =
            Batched ? batched_product : [](const Tensor& x, bool tx, const Tensor& y, bool ty) {
                return product(x, tx, y, ty);
            };
        if (needs_input_grad(0)) out[0] = multiply(g, false, b.get(), true);
        if (needs_input_grad(1)) out[1] = multiply(a.get(), true, g, false);
        return out;
    }
    std::string name() const override { return Batched ? "BmmBackward0" : "MmBackward0"; }
    void release_variables() override {
        a.release();
        b.release();
    }
};
using MmBackward = ProductBackward<false>;
using BmmBackward = ProductBackward<true>;

class AddmmBackward final : public Node {
public:
    SavedTensor a, b;
    Shape input_shape;
    double beta = 1.0, alpha = 1.0;
    TensorList apply(TensorList&& grads) override {
        TensorList out(3);
        const Tensor& g = grads[0];
        if (!g.defined()) return out;
        if (needs_input_grad(0)) out[0] = sum_to(beta == 1.0 ? g : mul(g, beta), input_shape);
        if (needs_input_grad(1)) out[1] = product(g, false, b.get(), true, alpha);
        if (needs_input_grad(2)) out[2] = product(a.get(), true, g, false, alpha);
        return out;
    }
    std::string name() const override { return "AddmmBackward0"; }
    void release_variables() override {
        a.release();
        b.release();
    }
};

// linear's operands seen as matrices: x as [rows, in] (leading dims folded), out likewise.
Tensor as_rows(const Tensor& t) {
    if (t.dim() == 2) return t;
    const std::int64_t cols = t.dim() == 0 ? 1 : t.size(-1);
    const Tensor c = t.is_contiguous() ? t : t.detach().contiguous();
    const std::int64_t rows = cols == 0 ? 0 : c.numel() / cols;
    return Tensor::from_storage(c.storage(), c.dtype(), {rows, cols}, {cols, 1}, c.offset());
}

// The grad_fn name PyTorch 1.13's F.linear gives its output: at::linear runs addmm, mm, addmm on
// a contiguous 3-D input seen as 2-D, or matmul (+ add) by the input's shape. The hook events
// name the operation a value came from this way.
const char* linear_grad_fn_name(const Tensor& x, bool bias) {
    if (bias) {
        if (x.dim() == 2) return "AddmmBackward0";
        return x.dim() == 3 && x.is_contiguous() ? "ViewBackward0" : "AddBackward0";
    }
    if (x.dim() == 2) return "MmBackward0";
    return x.dim() == 1 ? "SqueezeBackward3" : "UnsafeViewBackward0";
}

// One node for the whole of linear (PyTorch records two or three). Its edges are in
// AddmmBackward0's order (bias, input, weight), so the parameters' gradients are ready, and
// their hooks fire, in PyTorch's order: the bias's, then the weight's.
class LinearBackward final : public Node {
public:
    SavedTensor x, weight; // each only when the other's gradient needs it
    Shape input_shape;
    const char* torch_name = "AddmmBackward0";
    TensorList apply(TensorList&& grads) override {
        TensorList out(3); // bias, input, weight
        if (!grads[0].defined()) return out;
        const Tensor g = as_rows(grads[0]);
        if (needs_input_grad(1)) out[1] = product(g, false, weight.get(), false).view(input_shape);
        if (needs_input_grad(2)) out[2] = product(g, true, as_rows(x.get()), false);
        if (needs_input_grad(0)) {
            out[0] = Tensor::empty({g.size(1)}, g.dtype());
            const Tensor gc = g.stride(1) == 1 && g.stride(0) >= g.size(1) ? g : g.contiguous();
            dispatch_floating(g.dtype(), "linear", [&](auto tag) {
                using T = decltype(tag);
                kernels::column_sums<T>(gc.data_ptr<T>(), gc.size(0), gc.size(1), gc.stride(0),
                                        out[0].data_ptr<T>(), false);
            });
        }
        return out;
    }
    std::string name() const override { return torch_name; }
    void release_variables() override {
        x.release();
        weight.release();
    }
};

} // namespace

Tensor mm(const Tensor& a, const Tensor& b) {
    if (a.dim() != 2) throw std::invalid_argument("self must be a matrix");
    if (b.dim() != 2) throw std::invalid_argument("mat2 must be a matrix");
    check_multipliable(a.size(0), a.size(1), b.size(0), b.size(1));
    kernels::check_same_dtype(a, b);
    Tensor out = product(a, false, b, false);
    if (autograd::any_requires_grad({&a, &b})) {
        auto node = std::make_shared<MmBackward>();
        if (b.requires_grad()) node->a = SavedTensor(a);
        if (a.requires_grad()) node->b = SavedTensor(b);
        autograd::set_history(node, {&a, &b}, out);
    }
    return out;
}

Tensor bmm(const Tensor& a, const Tensor& b) {
    if (a.dim() != 3) throw std::invalid_argument("batch1 must be a 3D tensor");
    if (b.dim() != 3) throw std::invalid_argument("batch2 must be a 3D tensor");
    if (b.size(0) != a.size(0) || b.size(1) != a.size(2))
        throw std::invalid_argument(
            "Expected size for first two dimensions of batch2 tensor to be: [" +
            std::to_string(a.size(0)) + ", " + std::to_string(a.size(2)) + "] but got: [" +
            std::to_string(b.size(0)) + ", " + std::to_string(b.size(1)) + "].");
    kernels::check_same_dtype(a, b);
    Tensor out = batched_product(a, false, b, false);
    if (autograd::any_requires_grad({&a, &b})) {
        auto node = std::make_shared<BmmBackward>();
        if (b.requires_grad()) node->a = SavedTensor(a);
        if (a.requires_grad()) node->b = SavedTensor(b);
        autograd::set_history(node, {&a, &b}, out);
    }
    return out;
}

Tensor matmul(const Tensor& a, const Tensor& b) {
    const std::int64_t da = a.dim(), db = b.dim();
    if (da == 0 || db == 0)
        throw std::invalid_argument(
            "both arguments to matmul need to be at least 1D, but they are " + std::to_string(da) +
            "D and " + std::to_string(db) + "D");
    if (da == 1 && db == 1) {
        if (a.size(0) != b.size(0))
            throw std::invalid_argument(
                "inconsistent tensor size, expected tensor [" + std::to_string(a.size(0)) +
                "] and src [" + std::to_string(b.size(0)) +
                "] to have the same number of elements, but got " + std::to_string(a.size(0)) +
                " and " + std::to_string(b.size(0)) + " elements respectively");
        if (a.dtype() != b.dtype())
            throw std::invalid_argument(
                std::string("dot : expected both vectors to have same dtype, but found ") +
                kernels::scalar_type_name(a.dtype()) + " and " +
                kernels::scalar_type_name(b.dtype()));
        return mm(a.unsqueeze(0), b.unsqueeze(1)).view({});
    }
    if (db == 1 && da >= 2) {
        // Matrix (or folded batch of matrices) times vector, as PyTorch's mv.
        const std::int64_t k = a.size(-1);
        const std::int64_t rows = k == 0 ? 0 : a.numel() / k;
        if (k != b.size(0))
            throw std::invalid_argument("size mismatch, got " + std::to_string(rows) + ", " +
                                        kernels::matrix_size(rows, k) + "," +
                                        std::to_string(b.size(0)));
        Shape out_shape(a.shape().begin(), a.shape().end() - 1);
        const Tensor a2 = da == 2 ? a : a.reshape({rows, k});
        return mm(a2, b.unsqueeze(1)).view(out_shape);
    }
    if (da == 1 && db == 2) return mm(a.unsqueeze(0), b).squeeze(0);
    if (da == 2 && db == 2) return mm(a, b);
    if (da >= 3 && db == 2) {
        // Fold the batch into the rows: one GEMM instead of one per matrix.
        const std::int64_t k = a.size(-1);
        const std::int64_t rows = k == 0 ? 0 : a.numel() / k;
        Shape out_shape(a.shape().begin(), a.shape().end() - 1);
        out_shape.push_back(b.size(1));
        return mm(a.reshape({rows, k}), b).view(out_shape);
    }
    // Batched: broadcast the batch dims, then one bmm.
    const Tensor a3 = da == 1 ? a.unsqueeze(0) : a;
    const Tensor b3 = db == 1 ? b.unsqueeze(1) : b;
    const Shape batch_a(a3.shape().begin(), a3.shape().end() - 2);
    const Shape batch_b(b3.shape().begin(), b3.shape().end() - 2);
    const Shape batch = broadcast_shapes(batch_a, batch_b);
    const std::int64_t n = a3.size(-2), k = a3.size(-1), k2 = b3.size(-2), m = b3.size(-1);
    const std::int64_t count = shape_numel(batch);
    Shape ea = batch, eb = batch;
    ea.insert(ea.end(), {n, k});
    eb.insert(eb.end(), {k2, m});
    if (k != k2)
        throw std::invalid_argument(
            "Expected size for first two dimensions of batch2 tensor to be: [" +
            std::to_string(count) + ", " + std::to_string(k) + "] but got: [" +
            std::to_string(count) + ", " + std::to_string(k2) + "].");
    Tensor out = bmm(a3.expand(ea).reshape({count, n, k}), b3.expand(eb).reshape({count, k2, m}));
    Shape out_shape = batch;
    if (da > 1) out_shape.push_back(n);
    if (db > 1) out_shape.push_back(m);
    return out.view(out_shape);
}

Tensor addmm(const Tensor& input, const Tensor& a, const Tensor& b, double beta, double alpha) {
    check_matrix(a, "mat1");
    check_matrix(b, "mat2");
    check_multipliable(a.size(0), a.size(1), b.size(0), b.size(1));
    kernels::check_same_dtype(a, b);
    if (input.dtype() != b.dtype())
        throw std::invalid_argument("self and mat2 must have the same dtype");
    const Shape out_shape{a.size(0), b.size(1)};
    kernels::check_expandable(input.shape(), out_shape);
    Tensor out = Tensor::empty(out_shape, a.dtype());
    dispatch_floating(a.dtype(), "addmm", [&](auto tag) {
        using T = decltype(tag);
        // beta == 0 ignores input entirely (NaN included), as PyTorch does.
        if (beta != 0.0) {
            out.copy_(input);
            const std::int64_t count = out.numel();
            T* o = out.data_ptr<T>();
            if (beta != 1.0)
                for (std::int64_t i = 0; i < count; ++i)
                    o[i] *= T(beta);
        }
        kernels::gemm<T>(mat<T>(a, false), mat<T>(b, false), out.data_ptr<T>(), out_shape[1],
                         T(alpha), beta == 0.0 ? T(0) : T(1));
    });
    if (autograd::any_requires_grad({&input, &a, &b})) {
        auto node = std::make_shared<AddmmBackward>();
        if (b.requires_grad()) node->a = SavedTensor(a);
        if (a.requires_grad()) node->b = SavedTensor(b);
        node->input_shape = input.shape();
        node->beta = beta;
        node->alpha = alpha;
        autograd::set_history(node, {&input, &a, &b}, out);
    }
    return out;
}

Tensor linear(const Tensor& x, const Tensor& weight, const Tensor& bias) {
    if (weight.dim() > 2)
        throw std::invalid_argument("t() expects a tensor with <= 2 dimensions, but self is " +
                                    std::to_string(weight.dim()) + "D");
    if (x.dim() == 0)
        throw std::invalid_argument(
            "both arguments to matmul need to be at least 1D, but they are 0D and " +
            std::to_string(weight.dim()) + "D");
    if (weight.dim() < 2) {
        // A vector weight: PyTorch's matmul path.
        Tensor out = matmul(x, weight);
        return bias.defined() ? add(out, bias) : out;
    }
    const std::int64_t in = x.size(-1), out_features = weight.size(0);
    const Tensor x2 = as_rows(x.dim() == 1 ? x.detach().view({1, in}) : x.detach());
    check_multipliable(x2.size(0), in, weight.size(1), out_features);
    kernels::check_same_dtype(x, weight);
    if (bias.defined() && bias.dtype() != weight.dtype())
        throw std::invalid_argument("self and mat2 must have the same dtype");
    if (bias.defined() && x.dim() == 2)
        kernels::check_expandable(bias.shape(), {x2.size(0), out_features});
    if (bias.defined() && (bias.dim() != 1 || bias.size(0) != out_features))
        return add(linear(x, weight, Tensor()), bias); // a broadcast bias: rare, unfused
    Shape out_shape(x.shape().begin(), x.shape().end() - 1);
    out_shape.push_back(out_features);
    Tensor out = Tensor::empty(out_shape, x.dtype());
    dispatch_floating(x.dtype(), "linear", [&](auto tag) {
        using T = decltype(tag);
        const std::int64_t rows = x2.size(0);
        T* o = out.data_ptr<T>();
        if (bias.defined()) {
            // Start from the bias rows and let the GEMM accumulate onto them.
            const T* pb = bias.data_ptr<T>();
            const std::int64_t sb = bias.stride(0);
            for (std::int64_t i = 0; i < rows; ++i)
                for (std::int64_t j = 0; j < out_features; ++j)
                    o[i * out_features + j] = pb[j * sb];
        }
        kernels::gemm<T>(mat<T>(x2, false), mat<T>(weight, true), o, out_features, T(1),
                         bias.defined() ? T(1) : T(0));
    });
    if (autograd::any_requires_grad({&x, &weight, &bias})) {
        auto node = std::make_shared<LinearBackward>();
        if (weight.requires_grad()) node->x = SavedTensor(x);
        if (x.requires_grad()) node->weight = SavedTensor(weight);
        node->input_shape = x.shape();
        node->torch_name = linear_grad_fn_name(x, bias.defined());
        autograd::set_history(node, {&bias, &x, &weight}, out);
    }
    return out;
}

} // namespace nnscope
