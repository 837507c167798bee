#pragma once
// A training run as a PyTorch script does it: torch.manual_seed(seed); build the model;
// model.apply(init) (model_init.h); an optimizer; the DataLoader of config.loader (by default
// DataLoader(train, batch_size=64, shuffle=True) without a generator, so the sampler seeds itself
// from the default generator after the model's init has drawn from it: PyTorch reaches 0.82-0.83
// on Fashion-MNIST this way). A loader.generator seed is DataLoader(generator=torch.Generator().
// manual_seed(S)); else a generator given to the constructor is the DataLoader's generator=, as a
// script may pass one. The loss is config.loss (train_loss.h) in step() and evaluate(). "The
// default generator" is the run's own: a fresh Generator (a new interpreter's, seeded by the
// manual_seed above) made the default on the calling thread by a DefaultGeneratorScope for the
// constructor, step() and evaluate(). So the numbers are those of the script run alone, whichever
// thread calls the run and whatever else draws at the same time: two runs at once (a training job
// beside a lab simulation) cannot disturb each other or the process-wide default.
//
// step() trains one batch, run_epoch() the rest of an epoch, evaluate() measures the test split
// (by itself every config.eval_every steps when that is above 0, after the step's on_batch).
// Observers hear of every batch, epoch and evaluation on the calling thread; the cancel check is
// asked between batches. Used by `nnscope-cli train` and the training workspace.

#include "data/dataloader.h"
#include "data/loader_factory.h"
#include "engine/generator.h"
#include "io/native_model.h"
#include "workflows/evaluation.h"
#include "workflows/train_data.h"
#include "workflows/training_config.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

namespace nnscope::workflows {

struct BatchResult {
    std::int64_t epoch = 0, batch = 0; // 0-based
    std::int64_t samples = 0;
    double loss = 0;
};

struct EpochResult {
    std::int64_t epoch = 0, batches = 0, samples = 0;
    double mean_loss = 0; // the mean of the batches' losses
    double seconds = 0;
};

// Where a run's training steps spent their wall-clock time, summed over every step: the batch
// from the DataLoader (sampling, reading, transforms, collate, the model's input), zero_grad,
// forward, loss, backward and the optimizer's step. Observers' time falls in the phase they
// run after. Evaluation is not counted.
struct PhaseSeconds {
    double data = 0, zero_grad = 0, forward = 0, loss = 0, backward = 0, step = 0;
    double total() const { return data + zero_grad + forward + loss + backward + step; }
};

// The loss became NaN or infinite (a learning rate too large, usually).
class LossNotFinite : public std::runtime_error {
public:
    LossNotFinite(std::int64_t epoch, std::int64_t batch, double loss);
    std::int64_t epoch, batch; // 0-based
    double loss;
};

// What one training step is made of, for an observer (the probe that records statistics, the
// stepping worker). The tensors are the step's own: valid during the call only.
struct StepContext {
    std::int64_t step = 0, epoch = 0, batch = 0; // step: 0-based over epochs
    const ModelBatch* inputs = nullptr;
    Tensor logits; // after forward
    Tensor loss;   // after forward
};

// Called on the training thread in this order for each step. An observer may throw to abandon
// the step (the stepping worker does when it is stopped while paused inside a hook): the
// optimizer has then not stepped, and the run's counters are as before the step.
class StepObserver {
public:
    virtual ~StepObserver() = default;
    virtual void step_begins(const StepContext&) {}     // before zero_grad and forward
    virtual void loss_computed(const StepContext&) {}   // after forward, before backward
    virtual void gradients_ready(const StepContext&) {} // after backward, before optimizer.step()
    virtual void step_ends(const StepContext&, const BatchResult&) {} // after optimizer.step()
};

class TrainingRun {
public:
    // Validates, opens the data and builds the model and optimizer (the seeding above).
    // data::ConfigError for a bad value; std::runtime_error for unreadable files.
    explicit TrainingRun(TrainingConfig config, data::GeneratorPtr generator = nullptr);
    ~TrainingRun();

    std::function<void(const BatchResult&)> on_batch;
    std::function<void(const EpochResult&)> on_epoch;
    std::function<void(const Evaluation&)> on_evaluation;
    std::function<bool()> cancelled; // asked between batches; empty: never
    // Not owned; nullptr for none. Set between steps.
    void set_observer(StepObserver* observer) { observer_ = observer; }
    StepObserver* observer() const { return observer_; } // to chain another one before it

    // Trains one batch (starting the next epoch when needed); nothing once every epoch is done.
    // Throws LossNotFinite.
    std::optional<BatchResult> step();
    // The rest of the current epoch (a whole one if none is under way); nothing when cancelled
    // or when every epoch is done.
    std::optional<EpochResult> run_epoch();
    // evaluation.h's evaluate() on the test split (its first config().eval_limit samples, and at
    // most max_samples) in batches of config().eval_batch_size(), with the run's loss.
    Evaluation evaluate(std::optional<std::int64_t> max_samples = std::nullopt);

    bool finished() const { return epoch_ >= config_.loader.epochs && !iterator_; }
    std::int64_t epoch() const { return epoch_; } // the epoch under way or next (0-based)
    std::int64_t batches_per_epoch() const { return built_.loader->size(); }
    std::int64_t trained_samples() const { return trained_; }
    std::int64_t global_step() const { return step_; }     // steps trained so far
    std::int64_t batch_in_epoch() const { return batch_; } // of the epoch under way
    double learning_rate() const;
    void set_learning_rate(double lr); // every parameter group; data::ConfigError if not > 0
    optim::Optimizer& optimizer() { return *optimizer_; }
    double train_seconds() const { return train_seconds_; } // whole epochs, observers included
    const PhaseSeconds& phase_seconds() const { return phases_; }

    const TrainingConfig& config() const { return config_; }
    const TrainData& data() const { return data_; }
    nn::Module& model() { return *model_.module; }
    const io::NativeModel& native_model() const { return model_; }
    const data::DataLoader& loader() const { return *built_.loader; }
    // What PyTorch would warn about: the data set's part (an empty random_split part), then the
    // DataLoader's own (pin_memory without a GPU, too many workers).
    std::vector<std::string> warnings() const;

    // Saves the model as a native file with its seed, the vocabulary of a text model and
    // `metadata`.
    void save(const std::string& path, const std::map<std::string, std::string>& metadata) const;

private:
    using Clock = std::chrono::steady_clock;
    bool is_cancelled() const { return cancelled && cancelled(); }

    // Declared first: the scope the constructor opens needs it.
    std::unique_ptr<Generator> default_generator_ = std::make_unique<Generator>();
    TrainingConfig config_;
    TrainData data_;
    io::NativeModel model_;
    std::unique_ptr<optim::Optimizer> optimizer_;
    data::BuiltLoader built_;
    std::shared_ptr<data::DataLoaderIterator> iterator_; // during an epoch
    std::int64_t epoch_ = 0, batch_ = 0, epoch_samples_ = 0, trained_ = 0, step_ = 0;
    StepObserver* observer_ = nullptr;
    double epoch_loss_sum_ = 0, train_seconds_ = 0;
    PhaseSeconds phases_;
    Clock::time_point epoch_start_;
    std::optional<EpochResult> last_epoch_;

    EpochResult end_epoch();
};

} // namespace nnscope::workflows
