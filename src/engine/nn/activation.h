#pragma once
// Activation modules: ReLU, Sigmoid, Tanh, GELU, Softmax, LogSoftmax.

#include "engine/nn/module.h"

#include <optional>

namespace nnscope::nn {

// inplace is kept for repr and the model file; the result is computed out of place.
class ReLU final : public Module {
public:
    explicit ReLU(bool inplace = false)
        : Module("ReLU")
        , inplace_(inplace) {}
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override { return {{"inplace", inplace_}}; }
    std::string extra_repr() const override { return inplace_ ? "inplace=True" : ""; }

private:
    bool inplace_;
};

class Sigmoid final : public Module {
public:
    Sigmoid()
        : Module("Sigmoid") {}
    Tensor forward(const Tensor& input) override;
};

class Tanh final : public Module {
public:
    Tanh()
        : Module("Tanh") {}
    Tensor forward(const Tensor& input) override;
};

// approximate: "none" or "tanh".
class GELU final : public Module {
public:
    explicit GELU(std::string approximate = "none");
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override { return {{"approximate", approximate_}}; }
    std::string extra_repr() const override;

private:
    std::string approximate_;
};

// Softmax and LogSoftmax. dim = nullopt picks PyTorch's legacy implicit dim (0 for 0-, 1- and
// 3-dim inputs, else 1).
class Softmax : public Module {
public:
    explicit Softmax(std::optional<std::int64_t> dim = std::nullopt)
        : Softmax("Softmax", dim) {}
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;

protected:
    Softmax(std::string type_name, std::optional<std::int64_t> dim)
        : Module(std::move(type_name))
        , dim_(dim) {}
    std::int64_t resolved_dim(const Tensor& input) const;
    std::optional<std::int64_t> dim_;
};

class LogSoftmax final : public Softmax {
public:
    explicit LogSoftmax(std::optional<std::int64_t> dim = std::nullopt)
        : Softmax("LogSoftmax", dim) {}
    Tensor forward(const Tensor& input) override;
};

} // namespace nnscope::nn
