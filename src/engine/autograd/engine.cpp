// The backward engine: counts how many edges reach each node, then walks a ready queue ordered
// by sequence number (later ops first), as PyTorch's engine does. No recursion, so a graph of
// any depth runs in constant stack.

#include "engine/autograd/accumulate_grad.h"
#include "engine/autograd/grad_mode.h"
#include "engine/autograd/node.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/reduce.h"

#include <queue>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace nnscope::autograd {

namespace {

// Holds the gradients for the roots, as PyTorch's GraphRoot does.
class GraphRoot final : public Node {
public:
    GraphRoot(std::vector<Edge> edges, TensorList grads)
        : grads_(std::move(grads)) {
        next_edges_ = std::move(edges);
        set_num_outputs(0);
    }
    TensorList apply(TensorList&&) override { return grads_; }
    std::string name() const override { return "GraphRoot"; }

private:
    TensorList grads_;
};

struct LaterFirst {
    bool operator()(const Node* a, const Node* b) const {
        return a->sequence_nr() < b->sequence_nr();
    }
};

// Brings a gradient to the shape and dtype the receiving tensor has, as PyTorch's
// validate_outputs does: sums broadcast dimensions away, casts, or names the mismatch.
Tensor conform(Tensor grad, const Node::OutputMeta& meta, const Node& producer) {
    if (!meta.known) return grad;
    if (grad.shape() != meta.shape) {
        bool ok = true;
        try {
            grad = sum_to(grad, meta.shape);
        } catch (const std::exception&) {
            ok = false;
        }
        if (!ok || grad.shape() != meta.shape)
            throw std::runtime_error("Function " + producer.name() +
                                     " returned an invalid gradient: got shape " +
                                     shape_to_string(grad.shape()) + " but expected shape " +
                                     shape_to_string(meta.shape));
    }
    if (grad.dtype() != meta.dtype && is_floating_point(meta.dtype)) grad = grad.to(meta.dtype);
    return grad;
}

void accumulate(Tensor& slot, Tensor grad) {
    if (!slot.defined())
        slot = std::move(grad);
    else
        slot = add(slot, grad);
}

struct Capture {
    Node* function;
    std::uint32_t input_nr;
};

// Executes the graph below `root`. When captures are given, returns the gradient arriving at
// each captured (node, input) pair and runs only what leads to them (no .grad is touched).
TensorList execute(const std::shared_ptr<Node>& root, bool retain_graph,
                   const std::vector<Capture>* captures) {
    // Count the dependencies of every reachable node.
    // Raw pointers are enough: the root's edges own the whole graph for this call.
    std::unordered_map<Node*, int> dependencies;
    {
        std::vector<Node*> stack{root.get()};
        std::unordered_set<Node*> seen{root.get()};
        while (!stack.empty()) {
            Node* node = stack.back();
            stack.pop_back();
            for (const Edge& edge : node->next_edges()) {
                if (!edge.valid()) continue;
                Node* next = edge.function.get();
                ++dependencies[next];
                if (seen.insert(next).second) stack.push_back(next);
            }
        }
    }

    // With captures, run only nodes from which a captured pair can be reached.
    std::unordered_set<Node*> needed;
    if (captures) {
        std::unordered_set<Node*> targets;
        for (const auto& c : *captures)
            targets.insert(c.function);
        // Reverse reachability: a node is needed when any edge leads to a needed node or target.
        // One pass in post-order decides it: the graph is acyclic, so each node comes after
        // every node its edges lead to.
        std::vector<Node*> order;
        std::unordered_set<Node*> visited;
        std::vector<std::pair<Node*, std::size_t>> stack{{root.get(), 0}};
        visited.insert(root.get());
        while (!stack.empty()) {
            auto& [node, next_index] = stack.back();
            if (next_index < node->next_edges().size()) {
                const Edge& edge = node->next_edges()[next_index++];
                if (edge.valid() && visited.insert(edge.function.get()).second)
                    stack.emplace_back(edge.function.get(), 0);
            } else {
                order.push_back(node);
                stack.pop_back();
            }
        }
        for (Node* node : order) {
            bool need = false;
            for (const Edge& edge : node->next_edges())
                if (edge.valid() &&
                    (targets.count(edge.function.get()) || needed.count(edge.function.get())))
                    need = true;
            if (need) needed.insert(node);
        }
    }

    TensorList captured;
    if (captures) captured.resize(captures->size());

    std::unordered_map<Node*, TensorList> buffers;
    std::priority_queue<Node*, std::vector<Node*>, LaterFirst> ready;
    ready.push(root.get());
    while (!ready.empty()) {
        Node* node = ready.top();
        ready.pop();
        TensorList inputs;
        if (auto it = buffers.find(node); it != buffers.end()) {
            inputs = std::move(it->second);
            buffers.erase(it);
        }
        inputs.resize(node->num_outputs());

        if (captures) {
            for (std::size_t i = 0; i < captures->size(); ++i)
                if ((*captures)[i].function == node && (*captures)[i].input_nr < inputs.size())
                    captured[i] = inputs[(*captures)[i].input_nr];
        }

        TensorList outputs;
        const bool run = node == root.get() || !captures || needed.count(node);
        bool any_defined = node == root.get();
        for (const auto& g : inputs)
            any_defined = any_defined || g.defined();
        if (run && any_defined) {
            outputs = node->run(std::move(inputs));
            if (!retain_graph) node->release_variables();
        }
        outputs.resize(node->next_edges().size());

        for (std::size_t i = 0; i < node->next_edges().size(); ++i) {
            const Edge& edge = node->next_edges()[i];
            if (!edge.valid()) continue;
            Node* next = edge.function.get();
            if (outputs[i].defined()) {
                outputs[i] =
                    conform(std::move(outputs[i]), next->output_meta(edge.input_nr), *node);
                TensorList& slot = buffers[next];
                if (slot.size() < next->num_outputs()) slot.resize(next->num_outputs());
                accumulate(slot.at(edge.input_nr), std::move(outputs[i]));
            }
            if (--dependencies[next] == 0) ready.push(next);
        }
    }
    return captured;
}

std::shared_ptr<Node> make_root(const TensorList& roots, const TensorList& grad_roots) {
    if (grad_roots.size() != roots.size())
        throw std::invalid_argument("backward: got " + std::to_string(grad_roots.size()) +
                                    " gradients for " + std::to_string(roots.size()) + " tensors");
    std::vector<Edge> edges;
    TensorList grads;
    for (std::size_t i = 0; i < roots.size(); ++i) {
        const Tensor& root = roots[i];
        Edge edge = gradient_edge(root);
        if (!edge.valid())
            throw std::runtime_error("element " + std::to_string(i) +
                                     " of tensors does not require grad and does not have a "
                                     "grad_fn");
        Tensor grad = grad_roots[i];
        if (!grad.defined()) {
            if (root.numel() != 1)
                throw std::runtime_error("grad can be implicitly created only for scalar "
                                         "outputs; got a tensor of shape " +
                                         shape_to_string(root.shape()));
            grad = Tensor::ones(root.shape(), root.dtype());
        } else if (grad.shape() != root.shape()) {
            throw std::invalid_argument(
                "Mismatch in shape: grad_output has a shape of " + shape_to_string(grad.shape()) +
                " and output has a shape of " + shape_to_string(root.shape()));
        }
        edges.push_back(std::move(edge));
        grads.push_back(grad.detach());
    }
    return std::make_shared<GraphRoot>(std::move(edges), std::move(grads));
}

} // namespace

void run_backward(const TensorList& roots, const TensorList& grad_roots, bool retain_graph) {
    NoGradGuard no_grad;
    auto root = make_root(roots, grad_roots);
    execute(root, retain_graph, nullptr);
}

TensorList grad(const TensorList& roots, const TensorList& grad_roots, const TensorList& inputs,
                bool retain_graph, bool allow_unused) {
    NoGradGuard no_grad;
    auto root = make_root(roots, grad_roots);
    std::vector<Capture> captures;
    std::vector<std::shared_ptr<Node>> keep_alive;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        Edge edge = gradient_edge(inputs[i]);
        if (!edge.valid())
            throw std::runtime_error("grad: input " + std::to_string(i) + " does not require grad");
        keep_alive.push_back(edge.function);
        captures.push_back({edge.function.get(), edge.input_nr});
    }
    TensorList result = execute(root, retain_graph, &captures);
    for (std::size_t i = 0; i < result.size(); ++i) {
        if (!result[i].defined() && !allow_unused)
            throw std::runtime_error("One of the differentiated Tensors appears to not have "
                                     "been used in the graph. Set allow_unused=True if this "
                                     "is the desired behavior.");
    }
    return result;
}

} // namespace nnscope::autograd
