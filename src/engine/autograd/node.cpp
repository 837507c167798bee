#include "engine/autograd/node.h"

#include "engine/autograd/accumulate_grad.h"
#include "engine/autograd/grad_mode.h"
#include "engine/ops/elementwise.h"
#include "engine/ops/strided.h"
#include "engine/parallel.h"

#include <atomic>
#include <limits>
#include <stdexcept>

namespace nnscope::autograd {

namespace {
std::atomic<std::uint64_t> sequence_counter{0};
std::atomic<std::uint64_t> hook_counter{0};
thread_local bool grad_mode_enabled = true;
} // namespace

bool GradMode::is_enabled() {
    return grad_mode_enabled;
}
void GradMode::set_enabled(bool enabled) {
    grad_mode_enabled = enabled;
}

std::uint64_t next_hook_id() {
    return ++hook_counter;
}

Node::Node()
    : sequence_nr_(sequence_counter++) {}

Node::Node(std::uint64_t sequence_nr)
    : sequence_nr_(sequence_nr) {}

Node::~Node() {
    // Take over the predecessors only this node keeps alive and release them one by one: each
    // one's own edges are emptied before it dies, so no destructor recurses.
    std::vector<std::shared_ptr<Node>> orphans;
    auto adopt = [&orphans](std::vector<Edge>& edges) {
        for (Edge& edge : edges)
            if (edge.function && edge.function.use_count() == 1)
                orphans.push_back(std::move(edge.function));
    };
    adopt(next_edges_);
    while (!orphans.empty()) {
        std::shared_ptr<Node> node = std::move(orphans.back());
        orphans.pop_back();
        adopt(node->next_edges_);
    }
}

std::uint64_t Node::add_tensor_pre_hook(std::uint32_t output_nr, TensorHook hook) {
    const auto id = next_hook_id();
    tensor_pre_hooks_.emplace(id, TensorPreHook{output_nr, std::move(hook)});
    return id;
}
void Node::remove_tensor_pre_hook(std::uint64_t id) {
    tensor_pre_hooks_.erase(id);
}

std::uint64_t Node::add_pre_hook(NodePreHook hook) {
    const auto id = next_hook_id();
    pre_hooks_.emplace(id, std::move(hook));
    return id;
}
void Node::remove_pre_hook(std::uint64_t id) {
    pre_hooks_.erase(id);
}

std::uint64_t Node::add_post_hook(NodePostHook hook) {
    const auto id = next_hook_id();
    post_hooks_.emplace(id, std::move(hook));
    return id;
}
void Node::remove_post_hook(std::uint64_t id) {
    post_hooks_.erase(id);
}

const Node::OutputMeta& Node::output_meta(std::uint32_t i) const {
    static const OutputMeta unknown;
    return i < output_meta_.size() ? output_meta_[i] : unknown;
}

void Node::set_output_meta(std::uint32_t i, const Tensor& output) {
    if (output_meta_.size() <= i) output_meta_.resize(i + 1);
    output_meta_[i] = OutputMeta{output.shape(), output.dtype(), true};
}

TensorList Node::run(TensorList&& grads) {
    // Hooks may remove themselves (or others) while running: iterate over a snapshot of ids.
    if (!tensor_pre_hooks_.empty()) {
        std::vector<std::uint64_t> ids;
        for (const auto& [id, hook] : tensor_pre_hooks_)
            ids.push_back(id);
        for (auto id : ids) {
            auto it = tensor_pre_hooks_.find(id);
            if (it == tensor_pre_hooks_.end()) continue;
            const auto nr = it->second.output_nr;
            if (nr >= grads.size() || !grads[nr].defined()) continue;
            Tensor replaced = TensorHook(it->second.hook)(grads[nr]);
            if (replaced.defined()) grads[nr] = std::move(replaced);
        }
    }
    if (!pre_hooks_.empty()) {
        std::vector<std::uint64_t> ids;
        for (const auto& [id, hook] : pre_hooks_)
            ids.push_back(id);
        for (auto id : ids) {
            auto it = pre_hooks_.find(id);
            if (it == pre_hooks_.end()) continue;
            TensorList replaced = NodePreHook(it->second)(grads);
            if (!replaced.empty()) grads = std::move(replaced);
        }
    }
    TensorList grad_outputs;
    if (!post_hooks_.empty()) grad_outputs = grads;
    TensorList grad_inputs = apply(std::move(grads));
    if (!post_hooks_.empty()) {
        std::vector<std::uint64_t> ids;
        for (const auto& [id, hook] : post_hooks_)
            ids.push_back(id);
        for (auto id : ids) {
            auto it = post_hooks_.find(id);
            if (it == post_hooks_.end()) continue;
            TensorList replaced = NodePostHook(it->second)(grad_inputs, grad_outputs);
            if (!replaced.empty()) grad_inputs = std::move(replaced);
        }
    }
    return grad_inputs;
}

SavedTensor::SavedTensor(const Tensor& tensor) {
    if (tensor.defined()) tensor_ = tensor.detach();
}

const Tensor& SavedTensor::get() const {
    if (released_)
        throw std::runtime_error(
            "Trying to backward through the graph a second time (or directly access saved "
            "tensors after they have already been freed). Saved intermediate values of the "
            "graph are freed when you call .backward() or autograd.grad(). Specify "
            "retain_graph=True if you need to backward through the graph a second time.");
    return tensor_;
}

Edge gradient_edge(const Tensor& tensor) {
    if (!tensor.defined()) return {};
    if (tensor.grad_fn()) return {tensor.grad_fn(), tensor.output_nr()};
    if (tensor.requires_grad()) return {grad_accumulator(tensor), 0};
    return {};
}

bool any_requires_grad(std::initializer_list<const Tensor*> tensors) {
    if (!GradMode::is_enabled()) return false;
    for (const Tensor* t : tensors)
        if (t && t->requires_grad()) return true;
    return false;
}

bool any_requires_grad(const std::vector<Tensor>& tensors) {
    if (!GradMode::is_enabled()) return false;
    for (const Tensor& t : tensors)
        if (t.requires_grad()) return true;
    return false;
}

void set_history(const std::shared_ptr<Node>& node, const std::vector<const Tensor*>& inputs,
                 const std::vector<Tensor*>& outputs) {
    auto& edges = node->mutable_next_edges();
    edges.clear();
    edges.reserve(inputs.size());
    for (const Tensor* input : inputs)
        edges.push_back(input ? gradient_edge(*input) : Edge{});
    node->set_num_outputs(static_cast<std::uint32_t>(outputs.size()));
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        if (!outputs[i] || !outputs[i]->defined()) continue;
        TensorImpl* impl = outputs[i]->unsafe_impl();
        impl->requires_grad = true;
        impl->grad_fn = node;
        impl->output_nr = static_cast<std::uint32_t>(i);
        node->set_output_meta(static_cast<std::uint32_t>(i), *outputs[i]);
    }
}

// PyTorch gives AccumulateGrad the highest sequence number (UINT64_MAX): a parameter's
// gradient is accumulated, and its hooks run, as soon as it is ready, ties in next-edge order.
AccumulateGrad::AccumulateGrad(std::shared_ptr<TensorImpl> variable)
    : Node(std::numeric_limits<std::uint64_t>::max())
    , variable_(std::move(variable)) {
    set_output_meta(0, Tensor(variable_));
}

TensorList AccumulateGrad::apply(TensorList&& grads) {
    Tensor grad = std::move(grads.at(0));
    if (!grad.defined()) return {};
    for (std::size_t i = 0; i < variable_->hooks.size(); ++i) {
        Tensor replaced = TensorHook(variable_->hooks[i].second)(grad);
        if (replaced.defined()) grad = std::move(replaced);
    }
    NoGradGuard no_grad;
    if (!variable_->grad) {
        // Keep the incoming buffer when nothing else can see it; otherwise copy, so that a later
        // in-place update of .grad never writes into another tensor.
        if (grad.impl_ptr().use_count() == 1 && grad.storage().use_count() == 1 &&
            grad.is_contiguous())
            variable_->grad = grad.detach().impl_ptr();
        else
            variable_->grad = grad.clone().impl_ptr();
    } else if (variable_->grad.use_count() == 1 && variable_->grad->storage.use_count() == 1 &&
               Tensor(variable_->grad).is_contiguous() && grad.is_contiguous() &&
               variable_->grad->shape == grad.shape() && variable_->grad->dtype == grad.dtype() &&
               is_floating_point(grad.dtype())) {
        // Nobody else sees this .grad: add in place, as PyTorch does, instead of allocating a
        // new buffer every step (zero_grad keeps the buffers).
        const Tensor existing(variable_->grad);
        dispatch_floating(grad.dtype(), "AccumulateGrad", [&](auto tag) {
            using T = decltype(tag);
            T* dst = existing.data_ptr<T>();
            const T* src = grad.data_ptr<T>();
            // Elementwise: any cut of the range gives the same sums.
            parallel::parallel_for(existing.numel(), nnscope::detail::kCheapGrain,
                                   [&](std::int64_t begin, std::int64_t end) {
                                       for (std::int64_t i = begin; i < end; ++i)
                                           dst[i] += src[i];
                                   });
        });
    } else {
        variable_->grad = add(Tensor(variable_->grad), grad).impl_ptr();
    }
    return {};
}

std::shared_ptr<Node> grad_accumulator(const Tensor& leaf) {
    TensorImpl* impl = leaf.unsafe_impl();
    if (auto existing = impl->grad_accumulator.lock()) return existing;
    auto created = std::make_shared<AccumulateGrad>(leaf.impl_ptr());
    impl->grad_accumulator = created;
    return created;
}

} // namespace nnscope::autograd
