#pragma once
// What the training workspace's worker does each step, for the benchmarks (bench/train_memory.cpp,
// bench/train_gui.cpp): a TrainProbe on every module (activations, gradients, parameter norms,
// hook events with shapes only) computing statistics at most every `interval`, as TrainJob's
// observe_interval_ms, or on every K-th step; each step's record handed to `on_record`.

#include "workflows/train_probe.h"
#include "workflows/training_run.h"

#include <chrono>
#include <functional>

namespace nnscope::bench {

class WindowProbe final : public workflows::StepObserver {
public:
    using Clock = std::chrono::steady_clock;

    WindowProbe(workflows::TrainingRun& run, std::chrono::milliseconds interval,
                std::int64_t every = 0)
        : run_(run)
        , probe_(run.model(), options())
        , interval_(interval)
        , every_(every) {}

    std::function<void(const workflows::StepRecord&)> on_record;
    std::int64_t observed() const { return observed_; }

    void step_begins(const workflows::StepContext& context) override {
        bool observe = every_ > 0 && context.step % every_ == 0;
        if (every_ == 0 && Clock::now() - last_observed_ >= interval_) {
            observe = true;
            last_observed_ = Clock::now();
        }
        observed_ += observe ? 1 : 0;
        probe_.observe(observe);
        probe_.set_learning_rate(run_.learning_rate());
        probe_.step_begins(context);
    }
    void loss_computed(const workflows::StepContext& context) override {
        probe_.loss_computed(context);
    }
    void gradients_ready(const workflows::StepContext& context) override {
        probe_.gradients_ready(context);
    }
    void step_ends(const workflows::StepContext& context,
                   const workflows::BatchResult& result) override {
        probe_.step_ends(context, result);
        if (on_record) on_record(probe_.last_record());
    }

private:
    static workflows::ProbeOptions options() {
        workflows::ProbeOptions o; // every module, activations, gradients, parameter norms
        o.events = true;           // the timeline's events, shapes only
        return o;
    }

    workflows::TrainingRun& run_;
    workflows::TrainProbe probe_;
    std::chrono::milliseconds interval_;
    std::int64_t every_;
    Clock::time_point last_observed_{};
    std::int64_t observed_ = 0;
};

} // namespace nnscope::bench
