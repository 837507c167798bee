#pragma once
// nn.BatchNorm1d and nn.BatchNorm2d (PyTorch's _BatchNorm): weight/bias when affine, and the
// buffers running_mean, running_var, num_batches_tracked (int64) when track_running_stats
// (otherwise registered as None). momentum = nullopt averages cumulatively (1/num_batches).

#include "engine/nn/module.h"

#include <optional>

namespace nnscope::nn {

class BatchNorm : public Module {
public:
    Tensor forward(const Tensor& input) override;
    Arguments arguments() const override;
    std::string extra_repr() const override;
    void reset_running_stats();
    void reset_parameters();

    std::int64_t num_features() const { return num_features_; }

protected:
    BatchNorm(std::string type_name, std::int64_t num_features, double eps,
              std::optional<double> momentum, bool affine, bool track_running_stats);
    // Throws ValueError's message when the input's rank does not fit the class.
    virtual void check_input_dim(const Tensor& input) const = 0;

private:
    std::int64_t num_features_;
    double eps_;
    std::optional<double> momentum_;
    bool affine_;
    bool track_running_stats_;
};

class BatchNorm1d final : public BatchNorm {
public:
    explicit BatchNorm1d(std::int64_t num_features, double eps = 1e-5,
                         std::optional<double> momentum = 0.1, bool affine = true,
                         bool track_running_stats = true)
        : BatchNorm("BatchNorm1d", num_features, eps, momentum, affine, track_running_stats) {}

protected:
    void check_input_dim(const Tensor& input) const override;
};

class BatchNorm2d final : public BatchNorm {
public:
    explicit BatchNorm2d(std::int64_t num_features, double eps = 1e-5,
                         std::optional<double> momentum = 0.1, bool affine = true,
                         bool track_running_stats = true)
        : BatchNorm("BatchNorm2d", num_features, eps, momentum, affine, track_running_stats) {}

protected:
    void check_input_dim(const Tensor& input) const override;
};

} // namespace nnscope::nn
