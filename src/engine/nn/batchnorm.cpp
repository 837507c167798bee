#include "engine/nn/batchnorm.h"

#include "engine/autograd/grad_mode.h"
#include "engine/nn/init.h"
#include "engine/ops/norm.h"

#include <stdexcept>

namespace nnscope::nn {

namespace {

std::string py_bool(bool b) {
    return b ? "True" : "False";
}

// F.batch_norm's _verify_batch_size: training needs more than one value per channel.
void verify_batch_size(const Tensor& input) {
    std::int64_t size_prods = input.size(0);
    for (std::int64_t i = 2; i < input.dim(); ++i)
        size_prods *= input.size(i);
    if (size_prods == 1)
        throw std::invalid_argument(
            "Expected more than 1 value per channel when training, got input size torch.Size(" +
            shape_to_string(input.shape()) + ")");
}

} // namespace

BatchNorm::BatchNorm(std::string type_name, std::int64_t num_features, double eps,
                     std::optional<double> momentum, bool affine, bool track_running_stats)
    : Module(std::move(type_name))
    , num_features_(num_features)
    , eps_(eps)
    , momentum_(momentum)
    , affine_(affine)
    , track_running_stats_(track_running_stats) {
    register_parameter("weight", affine ? Tensor::empty({num_features}) : Tensor());
    register_parameter("bias", affine ? Tensor::empty({num_features}) : Tensor());
    if (track_running_stats) {
        register_buffer("running_mean", Tensor::zeros({num_features}));
        register_buffer("running_var", Tensor::ones({num_features}));
        register_buffer("num_batches_tracked", Tensor::scalar(0, DType::Int64));
    } else {
        register_buffer("running_mean", Tensor());
        register_buffer("running_var", Tensor());
        register_buffer("num_batches_tracked", Tensor());
    }
    reset_parameters();
}

void BatchNorm::reset_running_stats() {
    if (!track_running_stats_) return;
    init::zeros_(buffer("running_mean"));
    init::ones_(buffer("running_var"));
    init::zeros_(buffer("num_batches_tracked"));
}

void BatchNorm::reset_parameters() {
    reset_running_stats();
    if (!affine_) return;
    init::ones_(parameter("weight"));
    init::zeros_(parameter("bias"));
}

Tensor BatchNorm::forward(const Tensor& input) {
    check_input_dim(input);
    double factor = momentum_.value_or(0.0);
    const Tensor num_batches = buffer("num_batches_tracked");
    if (is_training() && track_running_stats_ && num_batches.defined()) {
        const std::int64_t n = ++num_batches.data_ptr<std::int64_t>()[0];
        factor = momentum_ ? *momentum_ : 1.0 / static_cast<double>(n);
    }
    const Tensor running_mean = buffer("running_mean");
    const Tensor running_var = buffer("running_var");
    const bool bn_training = is_training() || (!running_mean.defined() && !running_var.defined());
    if (bn_training) verify_batch_size(input);
    const bool use_stats = !is_training() || track_running_stats_;
    return batch_norm(input, use_stats ? running_mean : Tensor(),
                      use_stats ? running_var : Tensor(), parameter("weight"), parameter("bias"),
                      bn_training, factor, eps_);
}

Arguments BatchNorm::arguments() const {
    return {{"num_features", num_features_},
            {"eps", eps_},
            {"momentum", momentum_ ? Value(*momentum_) : Value()},
            {"affine", affine_},
            {"track_running_stats", track_running_stats_}};
}

std::string BatchNorm::extra_repr() const {
    return std::to_string(num_features_) + ", eps=" + python_float_repr(eps_) +
           ", momentum=" + (momentum_ ? python_float_repr(*momentum_) : std::string("None")) +
           ", affine=" + py_bool(affine_) +
           ", track_running_stats=" + py_bool(track_running_stats_);
}

void BatchNorm1d::check_input_dim(const Tensor& input) const {
    if (input.dim() != 2 && input.dim() != 3)
        throw std::invalid_argument("expected 2D or 3D input (got " + std::to_string(input.dim()) +
                                    "D input)");
}

void BatchNorm2d::check_input_dim(const Tensor& input) const {
    if (input.dim() != 4)
        throw std::invalid_argument("expected 4D input (got " + std::to_string(input.dim()) +
                                    "D input)");
}

} // namespace nnscope::nn
