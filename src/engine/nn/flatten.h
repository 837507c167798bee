#pragma once
// nn.Flatten: flattens dims start_dim..end_dim (default: all but the batch dim).

#include "engine/nn/module.h"

namespace nnscope::nn {

class Flatten final : public Module {
public:
    explicit Flatten(std::int64_t start_dim = 1, std::int64_t end_dim = -1)
        : Module("Flatten")
        , start_dim_(start_dim)
        , end_dim_(end_dim) {}
    Tensor forward(const Tensor& input) override { return input.flatten(start_dim_, end_dim_); }
    Arguments arguments() const override {
        return {{"start_dim", start_dim_}, {"end_dim", end_dim_}};
    }
    std::string extra_repr() const override {
        return "start_dim=" + std::to_string(start_dim_) + ", end_dim=" + std::to_string(end_dim_);
    }

private:
    std::int64_t start_dim_;
    std::int64_t end_dim_;
};

} // namespace nnscope::nn
