#pragma once
// One PyTorch function called by name with named tensors and arguments, as `nnscope-cli run
// op:NAME` does (issue #17): gather, index_select, scatter_add, embedding, cross_entropy,
// nll_loss and mse_loss, their tensors and arguments named as in torch / torch.nn.functional
// (input, index, target, weight, src; dim, padding_idx, ignore_index, reduction,
// label_smoothing), so a call can be checked against PyTorch case by case. Also the names of
// the tensors a model's root module takes (a loss: input and target). Qt-free.

#include "engine/nn/module.h"
#include "engine/tensor.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nnscope::workflows {

struct OpTensorSpec {
    std::string name;
    bool required = true;
    bool differentiable = true; // PyTorch has a derivative for it (floating tensors only)
};

struct OpArgSpec {
    enum class Kind { Int, OptionalInt, Float, String };
    std::string name;
    Kind kind = Kind::Int;
    std::string fallback; // the default as PyTorch writes it; "" for a required argument
};

struct OpSpec {
    std::string name;
    std::vector<OpTensorSpec> tensors; // in PyTorch's argument order
    std::vector<OpArgSpec> args;
};

const std::vector<OpSpec>& op_specs();
// Throws std::invalid_argument naming the known ops for any other name.
const OpSpec& find_op(std::string_view name);

// "input, index" (the required tensors, then the optional ones in brackets), for messages.
std::string describe_tensors(const std::vector<OpTensorSpec>& tensors);

struct OpOutcome {
    Tensor output;
    // With a backward: the gradient of every floating tensor, by name; tensors the output does
    // not depend on are listed in no_grad instead (None in PyTorch).
    std::vector<std::pair<std::string, Tensor>> grads;
    std::vector<std::string> no_grad;
};

// Calls fn with the tensors by name after checking them against specs (an unknown or missing
// name throws std::invalid_argument naming it and `callee`); with backward, floating tensors
// PyTorch differentiates become leaves that require grad, and the output's gradient is
// grad_output when defined (same shape as the output), ones otherwise.
using NamedFunction = std::function<Tensor(const std::map<std::string, Tensor>& tensors)>;
OpOutcome call_named(const std::string& callee, const std::vector<OpTensorSpec>& specs,
                     const std::map<std::string, Tensor>& tensors, bool backward,
                     const Tensor& grad_output, const NamedFunction& fn);

// Calls the op. An unknown or missing tensor or argument, or a value of the wrong kind, throws
// std::invalid_argument naming it; the op's own refusals are PyTorch's. With backward, the
// output's gradient is grad_output when defined (same shape as the output), ones otherwise.
OpOutcome call_op(const OpSpec& op, const std::map<std::string, Tensor>& tensors,
                  const std::map<std::string, std::string>& args, bool backward,
                  const Tensor& grad_output = Tensor());

// The tensors module.forward takes, by PyTorch's parameter names: (input, target) for a loss,
// (input, offsets, per_sample_weights) for EmbeddingBag, (input) otherwise; the first
// module.min_inputs() are required.
std::vector<OpTensorSpec> module_tensor_names(const nn::Module& module);

// Backpropagates `grad_output` (ones when undefined; refused with autograd's message when its
// shape differs) from output.
void backward_from(const Tensor& output, const Tensor& grad_output);

} // namespace nnscope::workflows
