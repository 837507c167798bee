#include "cli/train_break_flags.h"

#include "data/config_error.h"
#include "workflows/train_probe.h"

#include <nlohmann/json.hpp>
#include <set>

namespace nnscope::cli {

using workflows::BreakHit;
using workflows::Breakpoint;
using workflows::HookEvent;
using workflows::StepContext;

// Checks the breakpoints around each step and at the probe's events, and passes every call on
// to the probe and to the observer the run had before (the --record probe, say). Without a
// breakpoint that needs events (only step, epoch and loss ones) no probe and no hook is made.
class TrainBreaks::Observer : public workflows::StepObserver {
public:
    Observer(TrainBreaks& owner, workflows::TrainingRun& run)
        : owner_(owner)
        , next_(run.observer()) {
        if (!owner_.checker_.needs_events()) return;
        probe_ = std::make_unique<workflows::TrainProbe>(run.model(), events_only());
        probe_->observe(false);
        probe_->on_event = [this](const HookEvent& event) {
            stop_if(owner_.checker_.at_event(event, epoch_));
        };
    }

    void step_begins(const StepContext& context) override {
        epoch_ = context.epoch;
        stop_if(owner_.checker_.before_step(context.step, context.epoch, context.batch));
        if (probe_) probe_->step_begins(context);
        if (next_) next_->step_begins(context);
    }
    void loss_computed(const StepContext& context) override {
        if (probe_) probe_->loss_computed(context);
        if (next_) next_->loss_computed(context);
        stop_if(owner_.checker_.at_loss(context.step, context.epoch, context.loss.item()));
    }
    void gradients_ready(const StepContext& context) override {
        if (probe_) probe_->gradients_ready(context);
        if (next_) next_->gradients_ready(context);
    }
    void step_ends(const StepContext& context, const workflows::BatchResult& result) override {
        if (probe_) probe_->step_ends(context, result);
        if (next_) next_->step_ends(context, result);
    }

private:
    static workflows::ProbeOptions events_only() {
        workflows::ProbeOptions options;
        options.activations = options.gradients = options.params = false;
        options.events = true;
        return options;
    }

    void stop_if(std::optional<BreakHit> hit) {
        if (!hit) return;
        owner_.hit_ = std::move(hit);
        throw BreakStopped();
    }

    TrainBreaks& owner_;
    std::unique_ptr<workflows::TrainProbe> probe_; // when a breakpoint needs events
    workflows::StepObserver* next_;
    std::int64_t epoch_ = 0;
};

TrainBreaks::TrainBreaks(Args& args) {
    std::vector<Breakpoint> list;
    for (const std::string& text : args.option_list("break-on")) {
        try {
            list.push_back(workflows::parse_breakpoint(text));
        } catch (const data::ConfigError& error) {
            throw UsageError(error.message([](std::string_view) { return "--break-on"; }));
        }
    }
    checker_.set(std::move(list));
}

TrainBreaks::~TrainBreaks() = default;

void TrainBreaks::attach(workflows::TrainingRun& run) {
    if (!active()) return;
    std::set<std::string> modules, params;
    for (const auto& [name, module] : run.model().named_modules())
        modules.insert(name);
    for (const auto& [name, tensor] : run.model().named_parameters())
        params.insert(name);
    for (const Breakpoint& b : checker_.breakpoints()) {
        const bool on_module = b.kind == Breakpoint::Kind::Forward ||
                               b.kind == Breakpoint::Kind::Backward ||
                               b.kind == Breakpoint::Kind::Condition;
        if (!on_module) continue;
        const bool on_param =
            b.kind == Breakpoint::Kind::Condition && b.hook == workflows::HookKind::ParamGrad;
        if (on_param ? params.count(b.module) : modules.count(b.module)) continue;
        std::string known;
        for (const std::string& name : on_param ? params : modules)
            known += (known.empty() ? "" : ", ") + (name.empty() ? "\"\" (the model)" : name);
        throw UsageError("--break-on " + workflows::to_string(b) + ": the model has no " +
                         (on_param ? "parameter" : "module") + " '" + b.module + "' (" + known +
                         ")");
    }
    observer_ = std::make_unique<Observer>(*this, run);
    run.set_observer(observer_.get());
}

int TrainBreaks::report(std::ostream& out, bool json) const {
    if (!hit_) return break_exit_code;
    const Breakpoint& b = checker_.breakpoints().at(hit_->breakpoint);
    const HookEvent* event = hit_->event ? &*hit_->event : nullptr;
    if (json) {
        nlohmann::ordered_json j = {{"breakpoint", workflows::to_string(b)},
                                    {"step", hit_->step},
                                    {"epoch", hit_->epoch},
                                    {"message", hit_->message}};
        if (event) {
            j["module"] = event->module;
            j["module_type"] = event->module_type;
            j["hook"] = workflows::hook_kind_name(event->kind);
            j["operation"] = event->operation;
            j["input_shapes"] = event->input_shapes;
            j["output_shapes"] = event->output_shapes;
        }
        out << nlohmann::ordered_json{{"break", j}}.dump() << std::endl;
        return break_exit_code;
    }
    out << "break: " << hit_->message << "\n";
    if (event) {
        const bool backward = workflows::is_backward(event->kind);
        const auto shapes = [](const std::vector<std::vector<std::int64_t>>& list) {
            std::string text;
            for (const auto& shape : list)
                text += (text.empty() ? "" : " ") + shape_to_string(shape);
            return text.empty() ? std::string("-") : text;
        };
        out << "  at " << workflows::describe_place(*event) << " (epoch " << hit_->epoch
            << "): " << (backward ? "grad_input " : "inputs ") << shapes(event->input_shapes)
            << ", " << (backward ? "grad_output " : "output ") << shapes(event->output_shapes)
            << "\n";
    }
    out << "  breakpoint: " << workflows::to_string(b) << " (" << workflows::describe(b) << ")\n";
    return break_exit_code;
}

} // namespace nnscope::cli
