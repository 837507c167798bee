// nnscope-cli train: parses the options into a workflows::TrainingConfig, runs the training
// (workflows/training_run.h, where the seeding is described), prints the progress on stderr and
// the test accuracy and the training throughput. See train_command() for the options.

#include "cli/commands.h"
#include "cli/subcommands.h"
#include "cli/train_break_flags.h"
#include "cli/train_progress.h"
#include "cli/train_record_flags.h"
#include "workflows/training_run.h"

#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace nnscope::cli {

namespace {

double number(const std::string& text, const char* what) {
    try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw UsageError(std::string(what) + " expects a number, got '" + text + "'");
}

int run(Args args) {
    const bool json = args.flag("json");
    const auto model_name = args.option("model");
    const auto dataset = args.option("dataset");
    workflows::TrainingConfig config;
    config.epochs = args.int_option_or("epochs", 1);
    config.batch_size = args.int_option_or("batch-size", 64);
    config.optimizer.name = args.option_or("optimizer", "sgd");
    const auto lr_given = args.option("lr");
    const auto momentum_given = args.option("momentum");
    const long long threads = args.int_option_or("threads", 1);
    const long long seed = args.int_option_or("seed", 0);
    const long long workers = args.int_option_or("num-workers", 0);
    const long long limit = args.int_option_or("limit", -1);
    const long long every = args.int_option_or("progress-every", 100);
    const auto out = args.option("out");
    const auto transform_text = args.option("transform");
    const RecordFlags record = record_flags(args);
    TrainBreaks breaks(args);
    args.finish();

    if (!model_name) throw UsageError("train needs --model mlp|cnn|textcls|FILE");
    if (!dataset) throw UsageError("train needs --dataset fashion-mnist|mnist:PATH|ag-news:PATH");
    config.model = *model_name;
    config.dataset = *dataset;
    config.optimizer.lr = lr_given ? number(*lr_given, "--lr")
                                   : workflows::default_learning_rate(config.optimizer.name);
    if (momentum_given) config.optimizer.momentum = number(*momentum_given, "--momentum");
    if (threads < 1) throw UsageError("--threads must be at least 1");
    if (seed < 0) throw UsageError("--seed must not be negative");
    config.seed = static_cast<std::uint64_t>(seed);
    config.num_workers = static_cast<int>(std::max(workers, -1LL));
    if (limit != -1) config.limit = limit;
    if (transform_text) config.transform = *transform_text;

    workflows::TrainingRun run(config);
    const auto recording = start_recording(record, run);
    breaks.attach(run); // before the recorder's probe, which it calls on
    for (const auto& w : run.loader().warnings())
        std::cerr << "warning: " << w << "\n";
    if (!json) std::cerr << run.data().description << "\n";

    TrainProgress progress(std::cerr, isatty(STDERR_FILENO) != 0, every, config.epochs,
                           run.batches_per_epoch());
    run.on_batch = [&](const workflows::BatchResult& b) {
        progress.batch_done(b.batch, b.samples, b.loss);
    };
    double last_epoch_loss = 0;
    for (std::int64_t e = 0; e < config.epochs; ++e) {
        progress.start_epoch(e);
        try {
            run.run_epoch();
        } catch (const BreakStopped&) {
            return breaks.report(std::cout, json);
        } catch (const workflows::LossNotFinite& error) {
            throw std::runtime_error("train: " + std::string(error.what()) +
                                     " (try a smaller --lr)");
        }
        last_epoch_loss = progress.running_loss();
        progress.end_epoch();
    }

    const workflows::Evaluation test = run.evaluate();
    if (recording) recording->write(test);
    const double train_seconds = run.train_seconds();
    const std::int64_t trained = run.trained_samples();
    const double rate = train_seconds > 0 ? static_cast<double>(trained) / train_seconds : 0;
    nlohmann::ordered_json result = {
        {"model", *model_name},
        {"dataset", *dataset},
        {"epochs", config.epochs},
        {"batch_size", config.batch_size},
        {"optimizer", config.optimizer.name},
        {"lr", config.optimizer.lr},
        {"momentum", config.optimizer.momentum},
        {"seed", seed},
        {"threads", threads},
        {"num_workers", workers},
        {"train_samples", run.data().train->size()},
        {"test_samples", test.samples},
        {"train_loss", last_epoch_loss},
        {"test_loss", test.loss},
        {"test_accuracy", test.accuracy},
        {"samples_per_second", rate},
        {"train_seconds", train_seconds},
    };
    if (run.data().vocab) result["vocab_size"] = run.data().vocab->size();
    if (out) {
        run.save(*out, {{"nnscope.training", result.dump()}});
        result["out"] = *out;
    }
    if (json) {
        std::cout << result.dump() << std::endl;
    } else {
        std::cout << "test accuracy " << test.accuracy << " (" << test.samples
                  << " samples), test loss " << test.loss << "\n"
                  << "training: " << rate << " samples/s (" << trained << " samples in "
                  << train_seconds << " s), last epoch loss " << last_epoch_loss << "\n";
        if (out) std::cout << "saved " << *out << "\n";
    }
    return 0;
}

} // namespace

const Command& train_command() {
    static const Command command{
        "train",
        "train a model through the DataLoader, test it, and save it",
        {value("model", "mlp|cnn|textcls|FILE",
               "the model: a bundled one or a native model file; ag-news trains textcls "
               "(EmbeddingBag + Linear)",
               true),
         value("dataset", "SPEC", "fashion-mnist[:PATH], mnist:PATH or ag-news:PATH", true),
         value("epochs", "N", "epochs (default 1)"),
         value("batch-size", "N", "batch size (default 64)"),
         value("optimizer", "sgd|adam", "the optimizer (default sgd)"),
         value("lr", "LR", "learning rate (default 0.1 for sgd, 0.001 for adam)"),
         value("momentum", "M", "SGD momentum (default 0)"),
         value("threads", "N", "recorded only: the engine runs on one thread (default 1)"),
         value("seed", "S",
               "torch.manual_seed(S) before the model is built; the shuffling and "
               "the workers draw after it, as in PyTorch (default 0)"),
         value("num-workers", "N", "DataLoader worker threads (default 0)"),
         value("limit", "N", "keep the first N samples of each split"),
         value("progress-every", "N", "print the running loss every N batches (default 100)"),
         value("out", "FILE",
               "save the trained model (native .safetensors) with the results in "
               "its metadata"),
         value("transform", "PIPELINE",
               "a torchvision pipeline applied to each training image as it loads, e.g. "
               "\"Compose([RandomCrop(28, padding=4), RandomHorizontalFlip()])\"; seeded per "
               "worker as PyTorch seeds workers"),
         record_option(), record_every_option(), break_on_option,
         flag("json", "print the results as one JSON line")},
        "Images are ToTensor()'s floats in [0, 1]; ag-news batches are the torchtext tutorial's "
        "offsets batches. Progress goes to stderr, the test accuracy and the training throughput "
        "to stdout.",
        run};
    return command;
}

} // namespace nnscope::cli
