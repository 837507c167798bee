#pragma once
// Loss modules, called with (input, target): CrossEntropyLoss and MSELoss.

#include "engine/nn/module.h"

namespace nnscope::nn {

// The loss modules' base: two inputs and a reduction ("mean", "sum" or "none").
class Loss : public Module {
public:
    virtual Tensor forward(const Tensor& input, const Tensor& target) = 0;
    using Module::forward;
    std::size_t min_inputs() const override { return 2; }
    std::size_t max_inputs() const override { return 2; }
    const std::string& reduction() const { return reduction_; }

protected:
    Loss(std::string type_name, std::string reduction);
    Tensor forward_inputs(const std::vector<Tensor>& inputs) override {
        return forward(inputs.at(0), inputs.at(1));
    }
    std::string reduction_;
};

// weight (a rescaling per class) is registered as a buffer, as PyTorch's _WeightedLoss does.
class CrossEntropyLoss final : public Loss {
public:
    explicit CrossEntropyLoss(const Tensor& weight = Tensor(), std::int64_t ignore_index = -100,
                              std::string reduction = "mean", double label_smoothing = 0.0);
    Tensor forward(const Tensor& input, const Tensor& target) override;
    Arguments arguments() const override;

private:
    std::int64_t ignore_index_;
    double label_smoothing_;
};

class MSELoss final : public Loss {
public:
    explicit MSELoss(std::string reduction = "mean")
        : Loss("MSELoss", std::move(reduction)) {}
    Tensor forward(const Tensor& input, const Tensor& target) override;
    Arguments arguments() const override { return {{"reduction", reduction_}}; }
};

} // namespace nnscope::nn
