// nnscope-train-memory [--model mlp] [--epochs 20] [--limit N] [--observe-ms 33 | --observe-every
// K]
//                      [--report 1,20] [--no-history]
// The training workspace's memory, headless: a TrainingRun watched by a TrainProbe the way the
// window's worker does it (every module's activations and gradients, parameter norms, hook
// events, statistics at most every --observe-ms milliseconds), every step's record and each
// epoch's evaluation appended to a workflows::TrainingHistory as the window appends them. After
// each epoch listed in --report (and the last) it prints one JSON line: the process's VmRSS and
// VmHWM (/proc/self/status), history.memory_bytes(), the steps and observed steps so far, the
// thinning's state and the speed. --no-history runs the same without appending, to tell the
// history's share of the RSS from the run's own.

#include "workflows/train_history.h"
#include "workflows/train_probe.h"
#include "workflows/training_run.h"

#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

namespace {

using namespace nnscope;
using namespace nnscope::workflows;
using Clock = std::chrono::steady_clock;

// A field of /proc/self/status in bytes ("VmRSS", "VmHWM"); 0 when absent.
std::size_t status_bytes(const std::string& field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field + ":", 0) == 0)
            return std::stoull(line.substr(field.size() + 1)) * 1024; // "NNN kB"
    return 0;
}

// The window's worker: statistics at most every `interval` (or every K-th step), every step's
// record handed on.
struct WindowLikeObserver final : StepObserver {
    TrainingRun& run;
    TrainProbe probe;
    TrainingHistory* history; // null: --no-history
    std::chrono::milliseconds interval;
    std::int64_t every; // > 0: every K-th step instead of the interval
    Clock::time_point last_observed{};
    std::int64_t observed = 0;

    WindowLikeObserver(TrainingRun& r, TrainingHistory* h, std::chrono::milliseconds i,
                       std::int64_t k)
        : run(r)
        , probe(r.model(), window_options())
        , history(h)
        , interval(i)
        , every(k) {}

    static ProbeOptions window_options() {
        ProbeOptions o;  // every module, activations, gradients, parameter norms
        o.events = true; // the timeline's events, shapes only
        return o;
    }

    void step_begins(const StepContext& context) override {
        const auto now = Clock::now();
        const bool observe =
            every > 0 ? context.step % every == 0 : now - last_observed >= interval;
        if (observe && every == 0) last_observed = now;
        observed += observe ? 1 : 0;
        probe.observe(observe);
        probe.set_learning_rate(run.learning_rate());
        probe.step_begins(context);
    }
    void loss_computed(const StepContext& context) override { probe.loss_computed(context); }
    void gradients_ready(const StepContext& context) override { probe.gradients_ready(context); }
    void step_ends(const StepContext& context, const BatchResult& result) override {
        probe.step_ends(context, result);
        if (history) history->append(probe.last_record());
    }
};

std::set<std::int64_t> parse_epochs(const std::string& text) {
    std::set<std::int64_t> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        out.insert(std::stoll(item));
    return out;
}

} // namespace

int main(int argc, char** argv) {
    try {
        TrainingConfig config;
        config.model = "mlp";
        config.dataset = "fashion-mnist";
        config.epochs = 20;
        std::int64_t observe_ms = 33, every = 0;
        std::set<std::int64_t> report = {1, 20};
        bool keep_history = true;
        for (int i = 1; i < argc; ++i) {
            const std::string arg = argv[i];
            const auto value = [&]() -> std::string {
                if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
                return argv[++i];
            };
            if (arg == "--model")
                config.model = value();
            else if (arg == "--epochs")
                config.epochs = std::stoll(value());
            else if (arg == "--limit")
                config.limit = std::stoll(value());
            else if (arg == "--observe-ms")
                observe_ms = std::stoll(value());
            else if (arg == "--observe-every")
                every = std::stoll(value());
            else if (arg == "--report")
                report = parse_epochs(value());
            else if (arg == "--no-history")
                keep_history = false;
            else
                throw std::invalid_argument("unknown argument " + arg);
        }
        config.optimizer.lr = default_learning_rate(config.optimizer.name);
        report.insert(config.epochs);

        TrainingRun run(config);
        const std::size_t rss_before = status_bytes("VmRSS");
        TrainingHistory history;
        WindowLikeObserver observer(run, keep_history ? &history : nullptr,
                                    std::chrono::milliseconds(observe_ms), every);
        run.set_observer(&observer);
        const auto start = Clock::now();
        while (!run.finished()) {
            if (!run.run_epoch()) break;
            const auto evaluation = run.evaluate();
            if (keep_history)
                history.append(eval_record(evaluation, run.global_step(), run.epoch()));
            const std::int64_t epochs_done = run.epoch();
            if (!report.count(epochs_done)) continue;
            const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            const nlohmann::ordered_json line = {
                {"model", config.model},
                {"epochs", epochs_done},
                {"steps", run.global_step()},
                {"observed_steps", observer.observed},
                {"history", keep_history},
                {"rss_before_bytes", rss_before},
                {"rss_bytes", status_bytes("VmRSS")},
                {"hwm_bytes", status_bytes("VmHWM")},
                {"history_bytes", history.memory_bytes()},
                {"loss_points", history.losses().size()},
                {"stride", history.stride()},
                {"loss_width", history.loss_width()},
                {"accuracy", evaluation.accuracy},
                {"seconds", seconds},
                {"steps_per_second", double(run.global_step()) / seconds},
            };
            std::cout << line.dump() << std::endl;
        }
        run.set_observer(nullptr);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nnscope-train-memory: %s\n", e.what());
        return 1;
    }
}
