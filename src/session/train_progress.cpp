// The progress stream's pile: every trained step's record, the evaluations, the latest observed
// batch and the meters, taken as one TrainProgress per interval.

#include "engine/autograd/grad_mode.h"
#include "engine/ops/reduce.h"
#include "session/train_job_state.h"

#include <algorithm>
#include <utility>

namespace nnscope::session {

namespace {

constexpr std::int64_t kMaxBatchImages = 64;

} // namespace

void TrainProgressPile::add_step(const workflows::StepRecord& record, double busy_seconds) {
    steps_.push_back(record);
    train_seconds_ += record.train_seconds;
    observe_seconds_ += record.observe_seconds;
    busy_seconds_ += busy_seconds;
    ++busy_steps_;
}

TrainProgressPtr TrainProgressPile::take(workflows::RunState state, std::int64_t step,
                                         std::int64_t epoch, double lr) {
    auto progress = std::make_shared<TrainProgress>();
    progress->steps = std::exchange(steps_, {});
    progress->evaluations = std::exchange(evaluations_, {});
    progress->state = state;
    progress->step = step;
    progress->epoch = epoch;
    progress->lr = lr;
    progress->batch = std::exchange(batch_, std::nullopt);
    progress->train_seconds = train_seconds_;
    progress->observe_seconds = observe_seconds_;
    // The rate while training, over the steps since the last progress: time spent paused or
    // waiting between batches does not count.
    if (busy_steps_ > 0 && busy_seconds_ > 0)
        steps_per_second_ = static_cast<double>(busy_steps_) / busy_seconds_;
    busy_steps_ = 0;
    busy_seconds_ = 0;
    progress->steps_per_second = steps_per_second_;
    progress->engine_threads = engine_threads_;
    return progress;
}

std::optional<TrainBatchView> make_batch_view(std::int64_t step, const workflows::ModelBatch& batch,
                                              const Tensor& logits) {
    const Tensor& x = batch.inputs;
    if (!x.defined() || x.dim() != 4 || batch.offsets.defined() || !logits.defined())
        return std::nullopt;
    autograd::NoGradGuard no_grad;
    const std::int64_t n = std::min(x.shape()[0], kMaxBatchImages);
    TrainBatchView view;
    view.step = step;
    view.channels = x.shape()[1];
    view.height = x.shape()[2];
    view.width = x.shape()[3];
    const std::vector<double> pixels = x.narrow(0, 0, n).to_vector();
    view.pixels.assign(pixels.begin(), pixels.end());
    for (const double label : batch.labels.narrow(0, 0, n).to_vector())
        view.labels.push_back(static_cast<std::int64_t>(label));
    for (const double p : argmax(logits.detach().narrow(0, 0, n), 1).to_vector())
        view.predicted.push_back(static_cast<std::int64_t>(p));
    return view;
}

} // namespace nnscope::session
