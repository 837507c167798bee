#include "data/config_error.h"
#include "workflows/train_probe.h"

#include <ostream>

namespace nnscope::workflows {

struct TrainRecorder::Impl final : StepObserver {
    TrainingRun& run;
    std::ostream& out;
    std::int64_t every;
    TrainProbe probe;

    Impl(TrainingRun& r, std::ostream& o, std::int64_t k)
        : run(r)
        , out(o)
        , every(k)
        , probe(r.model(), ProbeOptions{}) {}

    void step_begins(const StepContext& context) override {
        probe.observe(context.step % every == 0);
        probe.set_learning_rate(run.learning_rate());
        probe.step_begins(context);
    }
    void loss_computed(const StepContext& context) override { probe.loss_computed(context); }
    void gradients_ready(const StepContext& context) override { probe.gradients_ready(context); }
    void step_ends(const StepContext& context, const BatchResult& result) override {
        probe.step_ends(context, result);
        if (probe.last_record().observed) out << to_json(probe.last_record()).dump() << '\n';
    }
};

TrainRecorder::TrainRecorder(TrainingRun& run, std::ostream& out, std::int64_t every) {
    if (every < 1)
        throw data::ConfigError("record-every", "must be at least 1, got " + std::to_string(every));
    impl_ = std::make_unique<Impl>(run, out, every);
    run.set_observer(impl_.get());
}

TrainRecorder::~TrainRecorder() {
    impl_->run.set_observer(nullptr);
}

void TrainRecorder::write(const EvalRecord& evaluation) {
    impl_->out << to_json(evaluation).dump() << '\n';
}

void TrainRecorder::write(const Evaluation& evaluation) {
    write(eval_record(evaluation, impl_->run.global_step(), impl_->run.epoch()));
}

TrainProbe& TrainRecorder::probe() {
    return impl_->probe;
}

} // namespace nnscope::workflows
