#include "workflows/training_run.h"

#include "data/dataloader_iterator.h"
#include "data/loader_factory.h"
#include "data/text/vocab_metadata.h"
#include "engine/random.h"
#include "io/safetensors.h"
#include "workflows/default_models.h"
#include "workflows/model_init.h"
#include "workflows/train_loss.h"
#include "workflows/train_model.h"

#include <cmath>
#include <filesystem>

namespace nnscope::workflows {

namespace {

bool is_built_in(const std::string& model) {
    return default_model_architecture(model) || model == "textcls";
}

// A text model trained before tokenizes with the vocabulary it was trained with. An unreadable
// file is reported when the model is loaded.
std::shared_ptr<const data::Vocab> vocabulary_of_file(const std::string& model) {
    if (is_built_in(model) || !std::filesystem::is_regular_file(model)) return nullptr;
    std::optional<io::SafetensorsHeader> header;
    try {
        header = io::read_safetensors_header(model);
    } catch (const std::exception&) {
        return nullptr;
    }
    if (auto vocab = data::read_vocab_metadata(header->metadata))
        return std::make_shared<const data::Vocab>(std::move(*vocab));
    return nullptr;
}

} // namespace

LossNotFinite::LossNotFinite(std::int64_t epoch_, std::int64_t batch_, double loss_)
    : std::runtime_error("the loss became " + std::string(std::isnan(loss_) ? "NaN" : "infinite") +
                         " in epoch " + std::to_string(epoch_ + 1) + ", batch " +
                         std::to_string(batch_ + 1))
    , epoch(epoch_)
    , batch(batch_)
    , loss(loss_) {}

TrainingRun::TrainingRun(TrainingConfig config, data::GeneratorPtr generator)
    : config_(std::move(config)) {
    DefaultGeneratorScope own_default(*default_generator_);
    validate(config_);
    data_ = open_train_data(config_.loader.dataset, config_.eval_limit);
    if (data_.train->size() == 0) throw std::runtime_error("train: the training split is empty");
    // The loader of the training split opened above (not dataset_cache.h's build_fresh_loader,
    // which would open it again: the run's default generator is already the default here). A
    // sampler or the DataLoader without a generator draws from it when an epoch starts, after the
    // model's init. The collate is the model's: the offsets batches for text, with the
    // vocabulary of the rows the loader reads.
    data::DataLoaderConfig loader = config_.loader;
    loader.collate_fn = data::CollateChoice::Default;
    built_ = data::build_loader(loader, std::move(generator), data_.train);
    set_text_collate(data_, *built_.source, vocabulary_of_file(config_.model));
    data_.train = built_.dataset;
    if (data_.collate) {
        data::DataLoaderOptions o = built_.loader->options();
        o.collate_fn = data_.collate;
        built_.loader = std::make_unique<data::DataLoader>(built_.dataset, std::move(o));
    }
    // Built-in models are built right after manual_seed(seed); a file has its tensors.
    model_ = make_train_model(config_.model, data_, config_.seed);
    if (!is_built_in(config_.model)) manual_seed(config_.seed);
    apply_init(*model_.module, config_.init);
    model_.module->train();
    optimizer_ = make_optimizer(config_.optimizer, *model_.module);
}

TrainingRun::~TrainingRun() = default;

std::optional<BatchResult> TrainingRun::step() {
    DefaultGeneratorScope own_default(*default_generator_);
    if (!iterator_) {
        if (epoch_ >= config_.loader.epochs) return std::nullopt;
        epoch_start_ = Clock::now();
        iterator_ = built_.start_epoch(epoch_);
        batch_ = epoch_samples_ = 0;
        epoch_loss_sum_ = 0;
    }
    auto t = Clock::now();
    // Adds the time since the last mark to `phase`.
    auto mark = [&t](double& phase) {
        const auto now = Clock::now();
        phase += std::chrono::duration<double>(now - t).count();
        t = now;
    };
    auto batch = iterator_->next();
    if (!batch) { // an empty epoch
        end_epoch();
        return step();
    }
    const ModelBatch mb = model_batch(batch->data);
    StepContext context{step_, epoch_, batch_, &mb, {}, {}};
    if (observer_) observer_->step_begins(context);
    mark(phases_.data);
    optimizer_->zero_grad();
    mark(phases_.zero_grad);
    context.logits = forward_batch(*model_.module, mb);
    mark(phases_.forward);
    context.loss = compute_loss(config_.loss, context.logits, mb.labels);
    if (observer_) observer_->loss_computed(context);
    mark(phases_.loss);
    context.loss.backward();
    if (observer_) observer_->gradients_ready(context);
    mark(phases_.backward);
    optimizer_->step();
    const BatchResult r{epoch_, batch_, mb.labels.numel(), context.loss.item()};
    if (observer_) observer_->step_ends(context, r);
    mark(phases_.step);
    if (!std::isfinite(r.loss)) throw LossNotFinite(r.epoch, r.batch, r.loss);
    ++step_;
    trained_ += r.samples;
    epoch_samples_ += r.samples;
    epoch_loss_sum_ += r.loss;
    ++batch_;
    if (on_batch) on_batch(r);
    if (batch_ == built_.loader->size()) end_epoch();
    if (config_.eval_every > 0 && step_ % config_.eval_every == 0) evaluate();
    return r;
}

double TrainingRun::learning_rate() const {
    return workflows::learning_rate(*optimizer_);
}

void TrainingRun::set_learning_rate(double lr) {
    workflows::set_learning_rate(*optimizer_, lr);
}

EpochResult TrainingRun::end_epoch() {
    const double seconds = std::chrono::duration<double>(Clock::now() - epoch_start_).count();
    train_seconds_ += seconds;
    EpochResult r{epoch_, batch_, epoch_samples_,
                  batch_ ? epoch_loss_sum_ / static_cast<double>(batch_) : 0, seconds};
    iterator_.reset();
    ++epoch_;
    last_epoch_ = r;
    if (on_epoch) on_epoch(r);
    return r;
}

std::optional<EpochResult> TrainingRun::run_epoch() {
    const std::int64_t epoch = epoch_;
    while (epoch_ == epoch && !finished()) {
        if (is_cancelled()) return std::nullopt;
        step();
    }
    if (epoch_ == epoch) return std::nullopt; // nothing was left to train
    return last_epoch_;
}

Evaluation TrainingRun::evaluate(std::optional<std::int64_t> max_samples) {
    DefaultGeneratorScope own_default(*default_generator_);
    Evaluation e = workflows::evaluate(*model_.module, data_, config_.eval_batch_size(),
                                       max_samples, cancelled, config_.loss);
    e.step = step_;
    e.epoch = epoch_;
    if (on_evaluation) on_evaluation(e);
    return e;
}

std::vector<std::string> TrainingRun::warnings() const {
    std::vector<std::string> all = built_.warnings;
    const auto& own = built_.loader->warnings();
    all.insert(all.end(), own.begin(), own.end());
    return all;
}

void TrainingRun::save(const std::string& path,
                       const std::map<std::string, std::string>& metadata) const {
    io::NativeSaveOptions save;
    save.seed = model_.seed;
    save.extra_metadata = metadata;
    if (data_.vocab) data::write_vocab_metadata(*data_.vocab, save.extra_metadata);
    io::save_native_model(path, *model_.module, save);
}

} // namespace nnscope::workflows
