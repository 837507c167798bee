// Batch and layer normalisation with hand-written backward kernels (statistics accumulate in
// double, as PyTorch's CPU batch_norm does), and dropout as PyTorch's CPU _dropout: a
// bernoulli(1 - p) noise tensor scaled by 1 / (1 - p), multiplied in.

#include "engine/ops/norm.h"

#include "engine/autograd/node.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/kernels/checks.h"
#include "engine/ops/strided.h"
#include "engine/parallel.h"
#include "engine/random.h"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace nnscope {

using autograd::Node;
using autograd::SavedTensor;
using autograd::TensorList;

namespace {

template <class T> const T* optional_ptr(const Tensor& t) {
    return t.defined() ? t.data_ptr<T>() : nullptr;
}

// x seen as [outer, channels, inner]: batch_norm's channel is dim 1, inner the spatial dims.
struct ChannelLayout {
    std::int64_t outer, channels, inner;
    std::int64_t count() const { return outer * inner; }
};

// Channels (batch_norm) or rows (layer_norm) of `size` elements each are independent: each is
// computed whole, in its serial order, by one thread, so the team never changes a result.
template <class Fn> void for_groups(std::int64_t groups, std::int64_t size, Fn&& fn) {
    const std::int64_t grain =
        std::max<std::int64_t>(1, detail::kCheapGrain / std::max<std::int64_t>(1, size));
    // (parallel_for takes its body by forwarding reference but stores a pointer to F, so it
    // needs an rvalue.)
    parallel::parallel_for(groups, grain,
                           [&](std::int64_t first, std::int64_t last) { fn(first, last); });
}

class BatchNormBackward final : public Node {
public:
    SavedTensor x, weight; // x contiguous
    std::vector<double> mean, invstd;
    ChannelLayout layout{};
    bool training = true;
    TensorList apply(TensorList&& grads) override {
        TensorList out(3);
        if (!grads[0].defined()) return out;
        const Tensor g = grads[0].contiguous();
        const Tensor& xs = x.get();
        const Tensor& ws = weight.get();
        const DType dtype = xs.dtype();
        if (needs_input_grad(0)) out[0] = Tensor::empty(xs.shape(), dtype);
        if (needs_input_grad(1)) out[1] = Tensor::empty({layout.channels}, dtype);
        if (needs_input_grad(2)) out[2] = Tensor::empty({layout.channels}, dtype);
        dispatch_floating(dtype, "batch_norm", [&](auto tag) {
            using T = decltype(tag);
            const T* px = xs.data_ptr<T>();
            const T* pg = g.data_ptr<T>();
            const T* pw = optional_ptr<T>(ws);
            const std::int64_t C = layout.channels, S = layout.inner;
            const double count = static_cast<double>(layout.count());
            for_groups(C, layout.count(), [&](std::int64_t first, std::int64_t last) {
                for (std::int64_t c = first; c < last; ++c) {
                    double sum_g = 0.0, sum_g_xhat = 0.0;
                    for (std::int64_t n = 0; n < layout.outer; ++n) {
                        const T* xr = px + (n * C + c) * S;
                        const T* gr = pg + (n * C + c) * S;
                        for (std::int64_t s = 0; s < S; ++s) {
                            sum_g += gr[s];
                            sum_g_xhat += gr[s] * (xr[s] - mean[c]);
                        }
                    }
                    sum_g_xhat *= invstd[c];
                    const double w = pw ? static_cast<double>(pw[c]) : 1.0;
                    if (out[1].defined()) out[1].data_ptr<T>()[c] = static_cast<T>(sum_g_xhat);
                    if (out[2].defined()) out[2].data_ptr<T>()[c] = static_cast<T>(sum_g);
                    if (!out[0].defined()) continue;
                    T* gx = out[0].data_ptr<T>();
                    // Training differentiates through the batch statistics; eval sees constants.
                    const double scale = w * invstd[c];
                    const double mean_g = training ? sum_g / count : 0.0;
                    const double proj = training ? sum_g_xhat / count * invstd[c] : 0.0;
                    for (std::int64_t n = 0; n < layout.outer; ++n) {
                        const T* xr = px + (n * C + c) * S;
                        const T* gr = pg + (n * C + c) * S;
                        T* dst = gx + (n * C + c) * S;
                        for (std::int64_t s = 0; s < S; ++s)
                            dst[s] =
                                static_cast<T>(scale * (gr[s] - mean_g - (xr[s] - mean[c]) * proj));
                    }
                }
            });
        });
        return out;
    }
    std::string name() const override { return "NativeBatchNormBackward0"; }
    void release_variables() override {
        x.release();
        weight.release();
    }
};

void check_channel_param(const Tensor& t, const char* what, std::int64_t channels, DType dtype) {
    if (!t.defined()) return;
    if (t.numel() != channels)
        throw std::invalid_argument(std::string(what) + " should contain " +
                                    std::to_string(channels) + " elements not " +
                                    std::to_string(t.numel()));
    if (t.dtype() != dtype)
        throw std::invalid_argument("mixed dtype (CPU): expect parameter to have scalar type of " +
                                    kernels::scalar_type_name(dtype));
}

class LayerNormBackward final : public Node {
public:
    SavedTensor x, weight; // x contiguous
    std::vector<double> mean, rstd;
    std::int64_t rows = 0, features = 0;
    Shape normalized_shape;
    TensorList apply(TensorList&& grads) override {
        TensorList out(3);
        if (!grads[0].defined()) return out;
        const Tensor g = grads[0].contiguous();
        const Tensor& xs = x.get();
        const Tensor& ws = weight.get();
        const DType dtype = xs.dtype();
        if (needs_input_grad(0)) out[0] = Tensor::empty(xs.shape(), dtype);
        if (needs_input_grad(1)) out[1] = Tensor::zeros(normalized_shape, dtype);
        if (needs_input_grad(2)) out[2] = Tensor::zeros(normalized_shape, dtype);
        dispatch_floating(dtype, "layer_norm", [&](auto tag) {
            using T = decltype(tag);
            const T* pw = optional_ptr<T>(ws);
            T* gw = out[1].defined() ? out[1].data_ptr<T>() : nullptr;
            T* gb = out[2].defined() ? out[2].data_ptr<T>() : nullptr;
            const double D = static_cast<double>(features);
            // Serially the weight and bias gradients add up row by row in the same loop; over
            // the team rows go to threads and those sums run afterwards by columns, each
            // column still adding its rows in order (the same bits).
            const bool serial =
                rows * features <= detail::kCheapGrain || parallel::num_threads() == 1;
            auto row_pass = [&](std::int64_t first, std::int64_t last) {
                for (std::int64_t r = first; r < last; ++r) {
                    const T* xr = xs.data_ptr<T>() + r * features;
                    const T* gr = g.data_ptr<T>() + r * features;
                    double sum_gh = 0.0, sum_gh_xhat = 0.0;
                    for (std::int64_t j = 0; j < features; ++j) {
                        const double xhat = (xr[j] - mean[r]) * rstd[r];
                        const double gh = gr[j] * (pw ? static_cast<double>(pw[j]) : 1.0);
                        sum_gh += gh;
                        sum_gh_xhat += gh * xhat;
                        if (serial && gw) gw[j] += static_cast<T>(gr[j] * xhat);
                        if (serial && gb) gb[j] += gr[j];
                    }
                    if (!out[0].defined()) continue;
                    T* dst = out[0].data_ptr<T>() + r * features;
                    for (std::int64_t j = 0; j < features; ++j) {
                        const double xhat = (xr[j] - mean[r]) * rstd[r];
                        const double gh = gr[j] * (pw ? static_cast<double>(pw[j]) : 1.0);
                        dst[j] =
                            static_cast<T>(rstd[r] * (gh - sum_gh / D - xhat * sum_gh_xhat / D));
                    }
                }
            };
            if (serial) {
                row_pass(0, rows);
                return;
            }
            for_groups(rows, features, row_pass);
            if (!gw && !gb) return;
            const std::int64_t column_grain =
                std::max<std::int64_t>(64, detail::kCheapGrain / std::max<std::int64_t>(1, rows));
            parallel::parallel_for(features, column_grain,
                                   [&](std::int64_t first, std::int64_t last) {
                                       for (std::int64_t r = 0; r < rows; ++r) {
                                           const T* xr = xs.data_ptr<T>() + r * features;
                                           const T* gr = g.data_ptr<T>() + r * features;
                                           for (std::int64_t j = first; j < last; ++j) {
                                               const double xhat = (xr[j] - mean[r]) * rstd[r];
                                               if (gw) gw[j] += static_cast<T>(gr[j] * xhat);
                                               if (gb) gb[j] += gr[j];
                                           }
                                       }
                                   });
        });
        return out;
    }
    std::string name() const override { return "NativeLayerNormBackward0"; }
    void release_variables() override {
        x.release();
        weight.release();
    }
};

} // namespace

Tensor batch_norm(const Tensor& x, const Tensor& running_mean, const Tensor& running_var,
                  const Tensor& weight, const Tensor& bias, bool training, double momentum,
                  double eps) {
    if (x.dim() < 2)
        throw std::invalid_argument("batch_norm: expected an input of at least 2 dims [N, C, "
                                    "*], but got input of size " +
                                    shape_to_string(x.shape()));
    ChannelLayout layout{x.size(0), x.size(1), 1};
    for (std::int64_t d = 2; d < x.dim(); ++d)
        layout.inner *= x.size(d);
    if (training && layout.count() == 1) {
        std::string sizes = shape_to_string(x.shape());
        throw std::invalid_argument(
            "Expected more than 1 value per channel when training, got input size torch.Size(" +
            sizes + ")");
    }
    if (!x.is_floating_point()) throw_unsupported_dtype(x.dtype(), "batch_norm");
    check_channel_param(weight, "weight", layout.channels, x.dtype());
    check_channel_param(bias, "bias", layout.channels, x.dtype());
    check_channel_param(running_mean, "running_mean", layout.channels, x.dtype());
    check_channel_param(running_var, "running_var", layout.channels, x.dtype());
    if (!training && !running_mean.defined())
        throw std::invalid_argument("running_mean must be defined in evaluation mode");
    if (!training && !running_var.defined())
        throw std::invalid_argument("running_var must be defined in evaluation mode");

    const Tensor xc = x.detach().contiguous();
    const std::int64_t C = layout.channels, S = layout.inner;
    std::vector<double> mean(static_cast<std::size_t>(C)), invstd(static_cast<std::size_t>(C));
    Tensor out = Tensor::empty(x.shape(), x.dtype());
    const Tensor wc = weight.defined() ? weight.detach().contiguous() : Tensor();
    const Tensor bc = bias.defined() ? bias.detach().contiguous() : Tensor();
    dispatch_floating(x.dtype(), "batch_norm", [&](auto tag) {
        using T = decltype(tag);
        const T* px = xc.data_ptr<T>();
        for_groups(C, layout.count(), [&](std::int64_t first, std::int64_t last) {
            for (std::int64_t c = first; c < last; ++c) {
                if (training) {
                    // Two passes in double: the mean, then the biased variance around it.
                    double sum = 0.0;
                    for (std::int64_t n = 0; n < layout.outer; ++n)
                        for (std::int64_t s = 0; s < S; ++s)
                            sum += px[(n * C + c) * S + s];
                    const double count = static_cast<double>(layout.count());
                    const double m = count > 0 ? sum / count : 0.0;
                    double squares = 0.0;
                    for (std::int64_t n = 0; n < layout.outer; ++n)
                        for (std::int64_t s = 0; s < S; ++s) {
                            const double d = px[(n * C + c) * S + s] - m;
                            squares += d * d;
                        }
                    const double var = count > 0 ? squares / count : 0.0;
                    mean[c] = m;
                    invstd[c] = 1.0 / std::sqrt(var + eps);
                    // The running variance takes the unbiased estimate.
                    if (running_mean.defined()) {
                        T& rm = running_mean.data_ptr<T>()[c * running_mean.stride(0)];
                        rm = static_cast<T>(momentum * m + (1.0 - momentum) * rm);
                    }
                    if (running_var.defined()) {
                        T& rv = running_var.data_ptr<T>()[c * running_var.stride(0)];
                        const double unbiased = count > 1 ? squares / (count - 1) : NAN;
                        rv = static_cast<T>(momentum * unbiased + (1.0 - momentum) * rv);
                    }
                } else {
                    mean[c] = running_mean.data_ptr<T>()[c * running_mean.stride(0)];
                    invstd[c] =
                        1.0 / std::sqrt(static_cast<double>(
                                            running_var.data_ptr<T>()[c * running_var.stride(0)]) +
                                        eps);
                }
            }
        });
        const T* pw = optional_ptr<T>(wc);
        const T* pb = optional_ptr<T>(bc);
        T* po = out.data_ptr<T>();
        // The planes (n, c) are independent.
        for_groups(layout.outer * C, S, [&](std::int64_t first, std::int64_t last) {
            for (std::int64_t plane = first; plane < last; ++plane) {
                const std::int64_t n = plane / C, c = plane % C;
                // y = x·scale + shift with the per-channel constants folded.
                const double scale = invstd[c] * (pw ? static_cast<double>(pw[c]) : 1.0);
                const double shift = (pb ? static_cast<double>(pb[c]) : 0.0) - mean[c] * scale;
                const T* xr = px + (n * C + c) * S;
                T* dst = po + (n * C + c) * S;
                for (std::int64_t s = 0; s < S; ++s)
                    dst[s] = static_cast<T>(xr[s] * scale + shift);
            }
        });
    });
    if (autograd::any_requires_grad({&x, &weight, &bias})) {
        auto node = std::make_shared<BatchNormBackward>();
        node->x = SavedTensor(xc);
        node->weight = SavedTensor(wc);
        node->mean = std::move(mean);
        node->invstd = std::move(invstd);
        node->layout = layout;
        node->training = training;
        autograd::set_history(node, {&x, &weight, &bias}, out);
    }
    return out;
}

Tensor layer_norm(const Tensor& x, const Shape& normalized_shape, const Tensor& weight,
                  const Tensor& bias, double eps) {
    const auto ns = static_cast<std::int64_t>(normalized_shape.size());
    if (ns == 0)
        throw std::invalid_argument(
            "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least "
            "one element, but got normalized_shape = []");
    if (weight.defined() && weight.shape() != normalized_shape)
        throw std::invalid_argument(
            "Expected weight to be of same shape as normalized_shape, but got weight of shape " +
            shape_to_string(weight.shape()) +
            " and normalized_shape = " + shape_to_string(normalized_shape));
    if (bias.defined() && bias.shape() != normalized_shape)
        throw std::invalid_argument(
            "Expected bias to be of same shape as normalized_shape, but got bias of shape " +
            shape_to_string(bias.shape()) +
            " and normalized_shape = " + shape_to_string(normalized_shape));
    bool matches = x.dim() >= ns;
    for (std::int64_t i = 0; matches && i < ns; ++i)
        matches = x.size(x.dim() - ns + i) == normalized_shape[static_cast<std::size_t>(i)];
    if (!matches) {
        std::string star = "[*";
        for (std::int64_t d : normalized_shape)
            star += ", " + std::to_string(d);
        throw std::invalid_argument("Given normalized_shape=" + shape_to_string(normalized_shape) +
                                    ", expected input with shape " + star +
                                    "], but got input of size" + shape_to_string(x.shape()));
    }
    if (!x.is_floating_point()) throw_unsupported_dtype(x.dtype(), "layer_norm");
    kernels::check_same_dtype(x, weight);
    kernels::check_same_dtype(x, bias);
    const std::int64_t features = shape_numel(normalized_shape);
    const std::int64_t rows = features == 0 ? 0 : x.numel() / features;
    const Tensor xc = x.detach().contiguous();
    std::vector<double> mean(static_cast<std::size_t>(rows)), rstd(static_cast<std::size_t>(rows));
    Tensor out = Tensor::empty(x.shape(), x.dtype());
    const Tensor wc = weight.defined() ? weight.detach().contiguous() : Tensor();
    const Tensor bc = bias.defined() ? bias.detach().contiguous() : Tensor();
    dispatch_floating(x.dtype(), "layer_norm", [&](auto tag) {
        using T = decltype(tag);
        const T* pw = optional_ptr<T>(wc);
        const T* pb = optional_ptr<T>(bc);
        for_groups(rows, features, [&](std::int64_t first, std::int64_t last) {
            for (std::int64_t r = first; r < last; ++r) {
                const T* xr = xc.data_ptr<T>() + r * features;
                double sum = 0.0;
                for (std::int64_t j = 0; j < features; ++j)
                    sum += xr[j];
                const double m = sum / static_cast<double>(features);
                double squares = 0.0;
                for (std::int64_t j = 0; j < features; ++j)
                    squares += (xr[j] - m) * (xr[j] - m);
                const double inv = 1.0 / std::sqrt(squares / static_cast<double>(features) + eps);
                mean[r] = m;
                rstd[r] = inv;
                T* dst = out.data_ptr<T>() + r * features;
                for (std::int64_t j = 0; j < features; ++j) {
                    double y = (xr[j] - m) * inv;
                    if (pw) y *= pw[j];
                    if (pb) y += pb[j];
                    dst[j] = static_cast<T>(y);
                }
            }
        });
    });
    if (autograd::any_requires_grad({&x, &weight, &bias})) {
        auto node = std::make_shared<LayerNormBackward>();
        node->x = SavedTensor(xc);
        node->weight = SavedTensor(wc);
        node->mean = std::move(mean);
        node->rstd = std::move(rstd);
        node->rows = rows;
        node->features = features;
        node->normalized_shape = normalized_shape;
        autograd::set_history(node, {&x, &weight, &bias}, out);
    }
    return out;
}

Tensor dropout(const Tensor& x, double p, bool training, Generator& gen) {
    if (!(p >= 0.0 && p <= 1.0)) {
        std::ostringstream message;
        message << "dropout probability has to be between 0 and 1, but got " << p;
        throw std::invalid_argument(message.str());
    }
    if (p == 0.0 || !training || x.numel() == 0) return x;
    if (!x.is_floating_point())
        throw std::invalid_argument(std::string("result type Float can't be cast to the desired "
                                                "output type ") +
                                    kernels::scalar_type_name(x.dtype()));
    // p == 1 multiplies by zero, so NaN and Inf still show, as in PyTorch.
    if (p == 1.0) return mul(x, Tensor::scalar(0.0, x.dtype()));
    Tensor noise = Tensor::empty(x.shape(), x.dtype());
    bernoulli_(noise, 1.0 - p, gen);
    dispatch_floating(x.dtype(), "dropout", [&](auto tag) {
        using T = decltype(tag);
        // noise.div_(1 - p): the divisor is rounded to T first, as a scalar operand is.
        const T keep = static_cast<T>(1.0 - p);
        T* pn = noise.data_ptr<T>();
        const std::int64_t count = noise.numel();
        for (std::int64_t i = 0; i < count; ++i)
            pn[i] = pn[i] / keep;
    });
    return mul(x, noise);
}

} // namespace nnscope
