#pragma once
// torch.optim.Optimizer: parameter groups, each with its own options, and per-parameter state.
// Steps update the raw buffers in place (Eigen maps over float32 / float64 storage) without
// autograd, following PyTorch 1.13's single-tensor (foreach=False) rules.

#include "engine/tensor.h"

#include <cstddef>
#include <stdexcept>
#include <vector>

namespace nnscope::optim {

class Optimizer {
public:
    virtual ~Optimizer() = default;
    virtual void step() = 0;
    // PyTorch 1.13's default set_to_none=false zero-fills the gradients; true drops them.
    void zero_grad(bool set_to_none = false);
    // Every parameter of every group, in order.
    virtual std::vector<Tensor> parameters() const = 0;
};

// The groups of an optimizer whose options are of type Options.
template <class Options> class OptimizerWithGroups : public Optimizer {
public:
    struct Group {
        std::vector<Tensor> params;
        Options options;
    };

    void add_param_group(std::vector<Tensor> params, const Options& options) {
        for (const Tensor& p : params)
            if (!p.defined() || !p.is_leaf())
                throw std::invalid_argument("can't optimize a non-leaf Tensor");
        groups_.push_back(Group{std::move(params), options});
    }
    std::vector<Group>& param_groups() { return groups_; }
    const std::vector<Group>& param_groups() const { return groups_; }
    // The options of a group (the learning rate a scheduler changes lives here).
    Options& options(std::size_t group = 0) { return groups_.at(group).options; }

    std::vector<Tensor> parameters() const override {
        std::vector<Tensor> out;
        for (const auto& g : groups_)
            out.insert(out.end(), g.params.begin(), g.params.end());
        return out;
    }

protected:
    std::vector<Group> groups_;
};

// The gradient of p as a contiguous tensor of p's dtype and shape, or undefined when p has
// none. Throws when the gradient's shape differs from the parameter's.
Tensor contiguous_grad(const Tensor& p, const char* optimizer);

} // namespace nnscope::optim
