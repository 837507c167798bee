#include "workflows/run_model.h"

#include "engine/ops/loss.h"
#include "engine/ops/reduce.h"
#include "workflows/forward_context.h"

#include <unordered_map>

namespace nnscope::workflows {

namespace {

std::size_t tensor_bytes(const Tensor& t) {
    return static_cast<std::size_t>(t.numel()) * element_size(t.dtype());
}

void check_cancel(const RunRequest& request) {
    if (request.cancel && request.cancel->load(std::memory_order_relaxed)) throw RunCancelled();
}

// The hooks that fill RunResult::modules; removed when it goes out of scope.
class Recorder {
public:
    Recorder(nn::Module& model, const RunRequest& request, RunResult& result)
        : request_(request)
        , result_(result) {
        for (const auto& [path, module] : model.named_modules()) {
            index_[module] = result_.modules.size();
            result_.modules.push_back({path, module->type_name(), {}, {}, {}, false, false});
            handles_.push_back(
                module->register_forward_pre_hook([this](nn::Module&, const std::vector<Tensor>&) {
                    check_cancel(request_);
                    return std::vector<Tensor>{};
                }));
            handles_.push_back(module->register_forward_hook(
                [this](nn::Module& m, const std::vector<Tensor>&, const Tensor& output) {
                    on_output(index_.at(&m), output);
                    return Tensor();
                }));
            if (request.backward != BackwardFrom::None)
                handles_.push_back(module->register_full_backward_hook(
                    [this](nn::Module& m, const std::vector<Tensor>&,
                           const std::vector<Tensor>& grad_output) {
                        check_cancel(request_);
                        if (!grad_output.empty()) on_grad(index_.at(&m), grad_output.front());
                        return std::vector<Tensor>{};
                    }));
        }
    }
    ~Recorder() {
        for (auto& h : handles_)
            h.remove();
    }
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // A module called again replaces its earlier output; the next backward then starts afresh.
    void on_output(std::size_t i, const Tensor& output) {
        ModuleRecord& r = result_.modules[i];
        if (r.output.defined()) result_.kept_bytes -= tensor_bytes(r.output);
        r.ran = true;
        r.shape = output.defined() ? output.shape() : Shape{};
        r.output = keep(output, r.dropped);
        grad_seen_[i] = false;
        if (request_.on_module) request_.on_module(r.path);
    }
    void on_grad(std::size_t i, const Tensor& grad) {
        if (grad_seen_[i]) return; // an earlier call of a reused module
        grad_seen_[i] = true;
        ModuleRecord& r = result_.modules[i];
        r.grad = keep(grad, r.dropped);
    }

private:
    Tensor keep(const Tensor& t, bool& dropped) {
        if (!t.defined()) return {};
        const std::size_t bytes = tensor_bytes(t);
        if (result_.kept_bytes + bytes > request_.max_bytes) {
            dropped = true;
            return {};
        }
        result_.kept_bytes += bytes;
        return t.detach().clone();
    }

    const RunRequest& request_;
    RunResult& result_;
    std::unordered_map<const nn::Module*, std::size_t> index_;
    std::unordered_map<std::size_t, bool> grad_seen_;
    std::vector<HookHandle> handles_;
};

void check_classes(const Tensor& output, std::int64_t target, const char* what) {
    if (output.dim() != 2)
        throw std::invalid_argument(std::string("backward from a ") + what +
                                    " needs an output of shape [batch, classes]; the model's is " +
                                    shape_to_string(output.shape()));
    if (target < 0 || target >= output.size(1))
        throw std::invalid_argument(std::string("the ") + what + " " + std::to_string(target) +
                                    " is outside the model's " + std::to_string(output.size(1)) +
                                    " classes (0.." + std::to_string(output.size(1) - 1) + ")");
}

} // namespace

const ModuleRecord* RunResult::find(const std::string& path) const {
    for (const auto& m : modules)
        if (m.path == path) return &m;
    return nullptr;
}

RunResult run_model(nn::Module& model, const Tensor& input, const RunRequest& request) {
    model.train(request.train);
    RunResult result;
    const bool backward = request.backward != BackwardFrom::None;
    result.input = input;
    Tensor x = input;
    if (backward && input.is_floating_point()) x = input.detach().clone().requires_grad_(true);

    Tensor output;
    {
        Recorder recorder(model, request, result);
        ForwardContext context(model);
        output = context.run<RunCancelled>(model, x);
        if (backward) {
            if (!output.requires_grad())
                throw std::invalid_argument("backward: the output does not depend on anything "
                                            "with a gradient (no parameters, integer input)");
            Tensor objective;
            if (request.backward == BackwardFrom::ClassScore) {
                check_classes(output, request.target, "class");
                objective = sum(output.select(1, request.target));
            } else {
                check_classes(output, request.target, "label");
                const std::vector<std::int64_t> labels(static_cast<std::size_t>(output.size(0)),
                                                       request.target);
                objective = cross_entropy(
                    output, Tensor::from_int64(labels, {static_cast<std::int64_t>(labels.size())}));
            }
            result.objective = objective.item();
            check_cancel(request);
            objective.backward();
            if (x.requires_grad() && x.grad().defined()) result.input_grad = x.grad();
        }
    }
    result.output = output.detach();
    if (backward) model.zero_grad(true); // the run leaves no gradients on the model
    return result;
}

} // namespace nnscope::workflows
