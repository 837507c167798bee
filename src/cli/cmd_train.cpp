// nnscope-cli train: the options (train_flags.h) or --config FILE.json make a
// workflows::TrainingConfig; the run (workflows/training_run.h, where the seeding is described)
// trains, prints the progress and any --eval-every evaluations on stderr, then the test accuracy
// and the training throughput. See train_command() for the options. The training loop runs on
// --threads engine threads; left to its default, on the hardware threads less the DataLoader
// workers that are busy (workflows/training_threads.h).

#include "cli/commands.h"
#include "cli/subcommands.h"
#include "cli/thread_flags.h"
#include "cli/train_break_flags.h"
#include "cli/train_flags.h"
#include "cli/train_progress.h"
#include "cli/train_record_flags.h"
#include "engine/ops/kernels/gemm.h"
#include "engine/parallel.h"
#include "workflows/training_config_json.h"
#include "workflows/training_run.h"
#include "workflows/training_threads.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace nnscope::cli {

namespace {

using Json = nlohmann::ordered_json;

Json evaluation_json(const workflows::Evaluation& e) {
    return {{"step", e.step},
            {"epoch", e.epoch},
            {"test_loss", e.loss},
            {"test_accuracy", e.accuracy},
            {"test_samples", e.samples}};
}

int train(Args& args, const std::optional<std::string>& config_file) {
    const workflows::TrainingConfig config = train_config(args, config_file);
    const auto save_config = args.option("save-config");
    const bool json = args.flag("json");
    const EngineThreads engine = apply_threads(args);
    const long long every = args.int_option_or("progress-every", 100);
    const auto out = args.option("out");
    const RecordFlags record = record_flags(args);
    TrainBreaks breaks(args);
    args.finish();

    workflows::TrainingRun run(config);
    const auto recording = start_recording(record, run);
    breaks.attach(run); // before the recorder's probe, which it calls on
    if (save_config) workflows::write_training_config(*save_config, config); // every check made
    for (const auto& w : run.warnings())
        std::cerr << "warning: " << w << "\n";
    if (!json) std::cerr << run.data().description << "\n";

    const std::int64_t epochs = config.loader.epochs;
    TrainProgress progress(std::cerr, isatty(STDERR_FILENO) != 0, every, epochs,
                           run.batches_per_epoch());
    run.on_batch = [&](const workflows::BatchResult& b) {
        progress.batch_done(b.batch, b.samples, b.loss);
    };
    Json evaluations = Json::array();
    run.on_evaluation = [&](const workflows::Evaluation& e) {
        evaluations.push_back(evaluation_json(e));
        if (recording) recording->write(e);
        std::cerr << "step " << e.step << ": test loss " << e.loss << ", accuracy " << e.accuracy
                  << " (" << e.samples << " samples)\n";
    };
    // The loop's threads: the setting as chosen, else the cores the busy workers leave it. The
    // final evaluation below runs after the workers have stopped, on the whole setting.
    const int loop_threads = engine.chosen ? engine.threads
                                           : workflows::automatic_training_threads(
                                                 engine.threads, workflows::busy_workers(config));
    std::optional<parallel::ThreadCap> loop_cap(std::in_place, loop_threads);
    const int threads_used = parallel::threads_in_use();
    double last_epoch_loss = 0;
    for (std::int64_t e = 0; e < epochs; ++e) {
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

    loop_cap.reset();
    run.on_evaluation = {};
    const workflows::Evaluation test = run.evaluate();
    if (recording) recording->write(test);
    const double train_seconds = run.train_seconds();
    const std::int64_t trained = run.trained_samples();
    const double rate = train_seconds > 0 ? static_cast<double>(trained) / train_seconds : 0;
    Json result = {
        {"model", config.model},
        {"dataset", config.loader.dataset},
        {"epochs", epochs},
        {"batch_size", config.batch_size()},
        {"optimizer", config.optimizer.name},
        {"lr", config.optimizer.lr},
        {"momentum", config.optimizer.momentum},
        {"seed", config.seed},
        {"threads", threads_used},
        {"parallel", parallel::available()},
        {"gemm_path", kernels::gemm_path()},
        {"num_workers", config.loader.num_workers},
        {"train_samples", run.data().train->size()},
        {"test_samples", test.samples},
        {"train_loss", last_epoch_loss},
        {"test_loss", test.loss},
        {"test_accuracy", test.accuracy},
        {"samples_per_second", rate},
        {"train_seconds", train_seconds},
    };
    if (config.eval_every > 0) result["evaluations"] = evaluations;
    if (run.data().vocab) result["vocab_size"] = run.data().vocab->size();
    result["config"] = workflows::training_config_to_json(config);
    if (out) {
        run.save(*out, {{"nnscope.training", result.dump()}});
        result["out"] = *out;
    }
    // Where the steps' time went (not saved with the model: it varies from run to run).
    const auto& ph = run.phase_seconds();
    result["phase_seconds"] = {{"data", ph.data},         {"zero_grad", ph.zero_grad},
                               {"forward", ph.forward},   {"loss", ph.loss},
                               {"backward", ph.backward}, {"step", ph.step}};
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

int run(Args args) {
    const auto config_file = args.option("config");
    const bool limit_given = args.given("limit");
    try {
        return train(args, config_file);
    } catch (const data::ConfigError& e) {
        throw named_for_train_user(e, config_file, limit_given);
    }
}

std::vector<Option> options() {
    std::vector<Option> options = train_config_options();
    options.insert(
        options.end(),
        {value("config", "FILE.json",
               "the whole training configuration from a JSON file (the form --save-config "
               "writes; see the README); the configuration options above are refused with it"),
         value("save-config", "FILE.json",
               "write the configuration as JSON (after checking it), then train as usual"),
         threads_option(),
         value("progress-every", "N", "print the running loss every N batches (default 100)"),
         value("out", "FILE",
               "save the trained model (native .safetensors) with the results and the "
               "configuration in its metadata"),
         record_option(), record_every_option(), break_on_option,
         flag("json", "print the results as one JSON line")});
    return options;
}

} // namespace

const Command& train_command() {
    static const Command command{
        "train", "train a model through the DataLoader, test it, and save it", options(),
        "Images are ToTensor()'s floats in [0, 1]; ag-news batches are the torchtext tutorial's "
        "offsets batches. The DataLoader takes every option of `nnscope-cli loader` except "
        "--split and --collate, with train's defaults (batch size 64, shuffled; --no-shuffle); "
        "its generator is --loader-seed, since --seed is torch.manual_seed. Progress and the "
        "--eval-every evaluations go to stderr, the test accuracy and the training throughput "
        "to stdout.\nThreads: without --threads (and NNSCOPE_THREADS) the training loop takes the "
        "hardware threads less the --num-workers workers when a --transform keeps them busy, at "
        "least 1; the JSON's \"threads\" is the count it used.",
        run};
    return command;
}

} // namespace nnscope::cli
