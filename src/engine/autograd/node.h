#pragma once
// A node of the backward graph: the gradient function of one forward op. It maps the gradients
// of the op's outputs to the gradients of its inputs and knows, for each input, which node
// receives that gradient (an Edge). Nodes are ordered by a growing sequence number, as in
// PyTorch, so that backward visits later ops first.

#include "engine/tensor.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace nnscope::autograd {

using TensorList = std::vector<Tensor>;

class Node;

struct Edge {
    std::shared_ptr<Node> function;
    std::uint32_t input_nr = 0;
    bool valid() const { return function != nullptr; }
};

// A hook on a node, before it runs: sees the gradients of its outputs and may replace them.
using NodePreHook = std::function<TensorList(const TensorList& grad_outputs)>;
// A hook after it runs: sees (grad_inputs, grad_outputs) and may replace grad_inputs.
using NodePostHook =
    std::function<TensorList(const TensorList& grad_inputs, const TensorList& grad_outputs)>;

class Node : public std::enable_shared_from_this<Node> {
public:
    Node();
    // A node ordered by `sequence_nr` in the ready queue (AccumulateGrad: the highest, to run
    // as soon as it is ready, as in PyTorch).
    explicit Node(std::uint64_t sequence_nr);
    // Frees a long chain of predecessors iteratively, so dropping a deep graph cannot overflow
    // the stack.
    virtual ~Node();
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    // grads[i] is the gradient of forward output i (undefined when nothing flowed there).
    // Returns one gradient per next edge (undefined where there is none).
    virtual TensorList apply(TensorList&& grads) = 0;
    virtual std::string name() const = 0;
    // Frees saved tensors after a backward without retain_graph.
    virtual void release_variables() {}

    std::uint64_t sequence_nr() const { return sequence_nr_; }
    const std::vector<Edge>& next_edges() const { return next_edges_; }
    std::vector<Edge>& mutable_next_edges() { return next_edges_; }
    std::uint32_t num_outputs() const { return num_outputs_; }
    void set_num_outputs(std::uint32_t n) { num_outputs_ = n; }
    // Shape and dtype of forward output i: the engine brings every incoming gradient to them.
    struct OutputMeta {
        Shape shape;
        DType dtype = DType::Float32;
        bool known = false;
    };
    const OutputMeta& output_meta(std::uint32_t i) const;
    void set_output_meta(std::uint32_t i, const Tensor& output);
    // True when input i's gradient is wanted by someone.
    bool needs_input_grad(std::size_t i) const {
        return i < next_edges_.size() && next_edges_[i].valid();
    }

    // Tensor hooks (register_hook on a non-leaf output), per output index, in registration order.
    std::uint64_t add_tensor_pre_hook(std::uint32_t output_nr, TensorHook hook);
    void remove_tensor_pre_hook(std::uint64_t id);
    std::uint64_t add_pre_hook(NodePreHook hook);
    void remove_pre_hook(std::uint64_t id);
    std::uint64_t add_post_hook(NodePostHook hook);
    void remove_post_hook(std::uint64_t id);

    // Runs tensor pre-hooks, pre-hooks, apply and post-hooks, in that order (the engine's step).
    TensorList run(TensorList&& grads);

protected:
    std::vector<Edge> next_edges_;

private:
    std::uint64_t sequence_nr_;
    std::uint32_t num_outputs_ = 1;
    std::vector<OutputMeta> output_meta_;
    struct TensorPreHook {
        std::uint32_t output_nr;
        TensorHook hook;
    };
    std::map<std::uint64_t, TensorPreHook> tensor_pre_hooks_;
    std::map<std::uint64_t, NodePreHook> pre_hooks_;
    std::map<std::uint64_t, NodePostHook> post_hooks_;
};

std::uint64_t next_hook_id();

// A tensor an op keeps for its backward; reading it after the graph was freed is the error
// PyTorch reports for a second backward without retain_graph.
class SavedTensor {
public:
    SavedTensor() = default;
    // Saves the values without the autograd history, so an op may save its own output.
    explicit SavedTensor(const Tensor& tensor);
    const Tensor& get() const;
    void release() {
        tensor_ = Tensor();
        released_ = true;
    }

private:
    Tensor tensor_;
    bool released_ = false;
};

// Where a gradient for `tensor` goes: its grad_fn, its leaf accumulator, or nowhere.
Edge gradient_edge(const Tensor& tensor);

// True when grad mode is on and any of the tensors requires grad.
bool any_requires_grad(std::initializer_list<const Tensor*> tensors);
bool any_requires_grad(const std::vector<Tensor>& tensors);

// Connects an op's node to its inputs (one next edge per input, in order) and marks each
// output as produced by it. Call only when any_requires_grad(inputs).
void set_history(const std::shared_ptr<Node>& node, const std::vector<const Tensor*>& inputs,
                 const std::vector<Tensor*>& outputs);
inline void set_history(const std::shared_ptr<Node>& node,
                        std::initializer_list<const Tensor*> inputs, Tensor& output) {
    set_history(node, std::vector<const Tensor*>(inputs), std::vector<Tensor*>{&output});
}

// Runs backward from roots with the given gradients; the iterative engine (engine.cpp).
void run_backward(const TensorList& roots, const TensorList& grad_roots, bool retain_graph);

// The gradient of each of `inputs`, from roots, without touching .grad (torch.autograd.grad).
TensorList grad(const TensorList& roots, const TensorList& grad_roots, const TensorList& inputs,
                bool retain_graph = false, bool allow_unused = false);

} // namespace nnscope::autograd
