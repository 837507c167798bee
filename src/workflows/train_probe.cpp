// TrainProbe: real module hooks feeding the step record and the hook events. Each hook body is
// timed as observation; the on_event callback (a stepping worker may wait in it) is timed apart
// and counted as neither training nor observation.

#include "workflows/train_probe.h"

#include "data/config_error.h"
#include "engine/autograd/grad_mode.h"
#include "engine/autograd/node.h"
#include "workflows/train_probe_norms.h"

#include <chrono>

namespace nnscope::workflows {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Adds the time until destruction to `total`, also when the scope is left by an exception.
class ScopedTimer {
public:
    explicit ScopedTimer(double& total)
        : total_(total)
        , start_(Clock::now()) {}
    ~ScopedTimer() { total_ += since(start_); }
    ScopedTimer(const ScopedTimer&) = delete;
    ScopedTimer& operator=(const ScopedTimer&) = delete;

private:
    double& total_;
    Clock::time_point start_;
};

// The operation that made `t`, looking through the identity nodes full backward hooks insert.
std::string operation_of(const Tensor& t) {
    if (!t.defined()) return {};
    const autograd::Node* node = t.grad_fn().get();
    while (node && node->name() == "BackwardHookFunctionBackward" && !node->next_edges().empty())
        node = node->next_edges()[0].function.get();
    return node ? node->name() : std::string();
}

std::vector<std::vector<std::int64_t>> shapes_of(const std::vector<Tensor>& tensors) {
    std::vector<std::vector<std::int64_t>> shapes;
    shapes.reserve(tensors.size());
    for (const Tensor& t : tensors)
        shapes.push_back(t.defined() ? t.shape() : std::vector<std::int64_t>{});
    return shapes;
}

std::vector<Tensor> detached_copies(const std::vector<Tensor>& tensors) {
    autograd::NoGradGuard no_grad;
    std::vector<Tensor> copies;
    copies.reserve(tensors.size());
    for (const Tensor& t : tensors)
        copies.push_back(t.defined() ? t.detach().clone() : Tensor());
    return copies;
}

bool is_observed(const ProbeOptions& options, const std::string& path) {
    if (options.modules.empty()) return true;
    for (const std::string& m : options.modules)
        if (m == path) return true;
    return false;
}

} // namespace

struct TrainProbe::Impl {
    struct Watched {
        std::string path, type;
        nn::Module* module = nullptr;
        std::string operation; // of its last forward output, for its backward events
    };
    struct Param {
        std::string name, owner_type;
        Tensor tensor;
        SavedValues before; // the values before optimizer.step()
    };

    TrainProbe& self;
    nn::Module& model;
    ProbeOptions options;
    std::vector<Watched> watched;
    std::vector<Param> params;
    std::vector<HookHandle> handles, intervention_handles;
    std::vector<ModuleStepStats> modules; // one per watched module
    std::vector<ParamStepStats> param_stats;
    Clock::time_point started;
    double observe_seconds = 0, callback_seconds = 0;
    std::int64_t step = 0, seq = 0;
    bool in_step = false, observing = false;
    // Output tensor hooks live in the autograd graph, which may outlast the probe: they check it.
    std::shared_ptr<int> alive = std::make_shared<int>(0);

    Impl(TrainProbe& probe, nn::Module& m, ProbeOptions o)
        : self(probe)
        , model(m)
        , options(std::move(o)) {}

    // Forward hooks act in the run's training steps only, not in an evaluation between them
    // (no_grad); backward runs only in a step.
    bool active() const { return in_step && autograd::GradMode::is_enabled(); }

    void emit(HookKind kind, const Watched& w, const std::vector<Tensor>& inputs,
              const std::vector<Tensor>& outputs, std::string operation) {
        emit(kind, w.path, w.type, inputs, outputs, std::move(operation));
    }

    void emit(HookKind kind, const std::string& place, const std::string& type,
              const std::vector<Tensor>& inputs, const std::vector<Tensor>& outputs,
              std::string operation) {
        if (!options.events || !in_step) return;
        HookEvent& kept = record_event(kind, place, type, inputs, outputs, std::move(operation));
        if (!self.on_event) return;
        HookEvent live = kept;
        live.inputs = inputs;
        live.outputs = outputs;
        ScopedTimer waiting(callback_seconds);
        self.on_event(live);
    }

    // Appends the event to the timeline (detached copies of its tensors when capturing).
    HookEvent& record_event(HookKind kind, const std::string& place, const std::string& type,
                            const std::vector<Tensor>& inputs, const std::vector<Tensor>& outputs,
                            std::string operation) {
        HookEvent kept;
        kept.step = step;
        kept.seq = seq++;
        kept.module = place;
        kept.module_type = type;
        kept.kind = kind;
        kept.input_shapes = shapes_of(inputs);
        kept.output_shapes = shapes_of(outputs);
        kept.operation = std::move(operation);
        if (options.capture_tensors) {
            kept.inputs = detached_copies(inputs);
            kept.outputs = detached_copies(outputs);
        }
        self.events_.push_back(std::move(kept));
        return self.events_.back();
    }

    // A state_dict hook's event: on the timeline (of the step under way, or after the last one),
    // never to on_event (see ProbeOptions::state_dict_hooks).
    void record_state_dict_event(HookKind kind, const Watched& w) {
        if (!options.events) return;
        record_event(kind, w.path, w.type, {}, {}, {});
    }

    // The gradient of the module's output, as output.register_hook in a forward hook sees it.
    void hook_output(std::size_t i, const Tensor& output) {
        if (!options.events || !options.output_grads || !output.defined() ||
            !output.requires_grad())
            return;
        std::weak_ptr<int> token = alive;
        output.register_hook([this, i, token](const Tensor& grad) {
            if (token.expired() || !in_step) return Tensor();
            ScopedTimer t(observe_seconds);
            emit(HookKind::OutputGrad, watched[i], {}, {grad}, watched[i].operation);
            return Tensor();
        });
    }

    void register_module_hooks(std::size_t i) {
        nn::Module& m = *watched[i].module;
        if (options.events)
            handles.push_back(m.register_forward_pre_hook(
                [this, i](nn::Module&, const std::vector<Tensor>& inputs) {
                    if (!active()) return std::vector<Tensor>{};
                    ScopedTimer t(observe_seconds);
                    emit(HookKind::ForwardPre, watched[i], inputs, {}, {});
                    return std::vector<Tensor>{};
                }));
        handles.push_back(m.register_forward_hook(
            [this, i](nn::Module&, const std::vector<Tensor>& inputs, const Tensor& output) {
                if (!active()) return Tensor();
                ScopedTimer t(observe_seconds);
                watched[i].operation = operation_of(output);
                if (observing && options.activations)
                    modules[i].activation = stream_stats(output, options.bins);
                emit(HookKind::Forward, watched[i], inputs, {output}, watched[i].operation);
                hook_output(i, output);
                return Tensor();
            }));
        if (options.events)
            handles.push_back(m.register_full_backward_pre_hook(
                [this, i](nn::Module&, const std::vector<Tensor>& grad_output) {
                    ScopedTimer t(observe_seconds);
                    emit(HookKind::BackwardPre, watched[i], {}, grad_output, watched[i].operation);
                    return std::vector<Tensor>{};
                }));
        if (options.gradients || options.events)
            handles.push_back(m.register_full_backward_hook(
                [this, i](nn::Module&, const std::vector<Tensor>& grad_input,
                          const std::vector<Tensor>& grad_output) {
                    if (!in_step) return std::vector<Tensor>{};
                    ScopedTimer t(observe_seconds);
                    if (observing && options.gradients && !grad_output.empty() &&
                        grad_output[0].defined())
                        modules[i].gradient = stream_stats(grad_output[0], options.bins);
                    emit(HookKind::Backward, watched[i], grad_input, grad_output,
                         watched[i].operation);
                    return std::vector<Tensor>{};
                }));
        if (options.legacy_backward_hooks)
            handles.push_back(m.register_backward_hook(
                [this, i](nn::Module&, const std::vector<Tensor>& grad_input,
                          const std::vector<Tensor>& grad_output) {
                    if (!in_step) return std::vector<Tensor>{};
                    ScopedTimer t(observe_seconds);
                    emit(HookKind::LegacyBackward, watched[i], grad_input, grad_output,
                         watched[i].operation);
                    return std::vector<Tensor>{};
                },
                /*beside_full_hooks=*/true));
        if (options.events && options.state_dict_hooks) register_state_dict_hooks(i);
    }

    void register_state_dict_hooks(std::size_t i) {
        nn::Module& m = *watched[i].module;
        handles.push_back(
            m.register_state_dict_hook([this, i](nn::Module&, nn::StateDict&, const std::string&) {
                record_state_dict_event(HookKind::StateDict, watched[i]);
            }));
        handles.push_back(m.register_load_state_dict_pre_hook(
            [this, i](nn::Module&, nn::StateDict&, const std::string&, nn::IncompatibleKeys&,
                      std::vector<std::string>&) {
                record_state_dict_event(HookKind::LoadStateDictPre, watched[i]);
            }));
        handles.push_back(
            m.register_load_state_dict_post_hook([this, i](nn::Module&, nn::IncompatibleKeys&) {
                record_state_dict_event(HookKind::LoadStateDictPost, watched[i]);
            }));
    }

    void register_param_hook(std::size_t k) {
        handles.push_back(params[k].tensor.register_hook([this, k](const Tensor& grad) {
            if (!in_step) return Tensor();
            ScopedTimer t(observe_seconds);
            emit(HookKind::ParamGrad, params[k].name, params[k].owner_type, {}, {grad},
                 "AccumulateGrad");
            return Tensor();
        }));
    }

    void attach() {
        for (const auto& [path, module] : model.named_modules()) {
            if (!is_observed(options, path)) continue;
            watched.push_back({path, module->type_name(), module, {}});
            for (const auto& [name, p] : module->named_parameters("", false)) {
                if (!p.requires_grad()) continue;
                params.push_back(
                    {path.empty() ? name : path + "." + name, module->type_name(), p, {}});
            }
        }
        if (!options.modules.empty() && watched.size() != options.modules.size())
            for (const std::string& m : options.modules) {
                bool found = false;
                for (const Watched& w : watched)
                    found = found || w.path == m;
                if (!found)
                    throw data::ConfigError("modules", "the model has no module '" + m + "'");
            }
        modules.resize(watched.size());
        for (std::size_t i = 0; i < watched.size(); ++i)
            register_module_hooks(i);
        if (options.events)
            for (std::size_t k = 0; k < params.size(); ++k)
                register_param_hook(k);
    }

    void remove_all(std::vector<HookHandle>& list) {
        for (HookHandle& h : list)
            h.remove();
        list.clear();
    }
};

TrainProbe::TrainProbe(nn::Module& model, ProbeOptions options)
    : impl_(std::make_unique<Impl>(*this, model, std::move(options))) {
    if (impl_->options.bins < 1)
        throw data::ConfigError("bins", "a histogram needs at least one bin, got " +
                                            std::to_string(impl_->options.bins));
    impl_->attach();
}

TrainProbe::~TrainProbe() {
    impl_->remove_all(impl_->intervention_handles);
    impl_->remove_all(impl_->handles);
}

void TrainProbe::set_interventions(const std::vector<HookIntervention>& interventions) {
    for (const HookIntervention& iv : interventions)
        validate(iv);
    std::vector<std::pair<nn::Module*, const HookIntervention*>> targets;
    const nn::NamedModules all = impl_->model.named_modules();
    for (const HookIntervention& iv : interventions) {
        nn::Module* found = nullptr;
        for (const auto& [path, module] : all)
            if (path == iv.module) found = module;
        if (!found)
            throw data::ConfigError("module", "the model has no module '" + iv.module + "'");
        targets.emplace_back(found, &iv);
    }
    impl_->remove_all(impl_->intervention_handles);
    for (const auto& [module, iv] : targets)
        impl_->intervention_handles.push_back(register_intervention(*module, *iv));
}

void TrainProbe::step_begins(const StepContext& context) {
    Impl& d = *impl_;
    d.started = Clock::now();
    d.observe_seconds = d.callback_seconds = 0;
    d.step = context.step;
    d.seq = 0;
    d.in_step = true;
    d.observing = observe_;
    events_.clear();
    for (std::size_t i = 0; i < d.modules.size(); ++i)
        d.modules[i] = ModuleStepStats{d.watched[i].path, d.watched[i].type, {}, {}};
    d.param_stats.clear();
}

void TrainProbe::loss_computed(const StepContext&) {}

void TrainProbe::gradients_ready(const StepContext&) {
    Impl& d = *impl_;
    if (!d.observing || !d.options.params) return;
    ScopedTimer t(d.observe_seconds);
    d.param_stats.resize(d.params.size());
    for (std::size_t k = 0; k < d.params.size(); ++k) {
        Impl::Param& p = d.params[k];
        d.param_stats[k].name = p.name;
        const Tensor grad = p.tensor.grad();
        if (grad.defined()) d.param_stats[k].grad_norm = l2_norm(grad);
        save_values(p.tensor, p.before);
    }
}

void TrainProbe::step_ends(const StepContext& context, const BatchResult& result) {
    Impl& d = *impl_;
    d.in_step = false;
    StepRecord r;
    r.step = context.step;
    r.epoch = context.epoch;
    r.batch = context.batch;
    r.samples = result.samples;
    r.loss = result.loss;
    r.lr = lr_;
    r.observed = d.observing;
    if (d.observing) {
        ScopedTimer t(d.observe_seconds);
        for (std::size_t k = 0; k < d.param_stats.size(); ++k) {
            d.param_stats[k].weight_norm = l2_norm(d.params[k].tensor);
            d.param_stats[k].update_norm = l2_distance(d.params[k].tensor, d.params[k].before);
        }
        r.modules = d.modules;
        r.params = d.param_stats;
    }
    const double wall = since(d.started);
    r.observe_seconds = d.observe_seconds - d.callback_seconds;
    r.train_seconds = std::max(0.0, wall - d.observe_seconds);
    record_ = std::move(r);
}

} // namespace nnscope::workflows
