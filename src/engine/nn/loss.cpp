#include "engine/nn/loss.h"

#include "engine/ops/loss.h"

#include <stdexcept>

namespace nnscope::nn {

Loss::Loss(std::string type_name, std::string reduction)
    : Module(std::move(type_name))
    , reduction_(std::move(reduction)) {
    if (reduction_ != "mean" && reduction_ != "sum" && reduction_ != "none")
        throw std::invalid_argument(reduction_ + " is not a valid value for reduction");
}

CrossEntropyLoss::CrossEntropyLoss(const Tensor& weight, std::int64_t ignore_index,
                                   std::string reduction, double label_smoothing)
    : Loss("CrossEntropyLoss", std::move(reduction))
    , ignore_index_(ignore_index)
    , label_smoothing_(label_smoothing) {
    if (label_smoothing < 0.0 || label_smoothing > 1.0)
        throw std::invalid_argument("label_smoothing must be between 0.0 and 1.0. Got: " +
                                    python_float_repr(label_smoothing));
    register_buffer("weight", weight);
}

Tensor CrossEntropyLoss::forward(const Tensor& input, const Tensor& target) {
    return cross_entropy(input, target, buffer("weight"), ignore_index_, reduction_,
                         label_smoothing_);
}

Arguments CrossEntropyLoss::arguments() const {
    const Tensor weight = buffer("weight");
    return {{"weight", weight.defined() ? Value::doubles(weight.to_vector()) : Value()},
            {"ignore_index", ignore_index_},
            {"reduction", reduction_},
            {"label_smoothing", label_smoothing_}};
}

Tensor MSELoss::forward(const Tensor& input, const Tensor& target) {
    return mse_loss(input, target, reduction_);
}

} // namespace nnscope::nn
