// nnscope-train-memory [--model mlp] [--epochs 20] [--limit N] [--observe-ms 33 | --observe-every
// K]
//                      [--report 1,20] [--no-history] [--same-thread] [--trace STEPS]
// The training workspace's memory, headless and shaped like the window: a worker thread trains a
// TrainingRun watched by a TrainProbe as TrainJob does (every module's activations and gradients,
// parameter norms, hook events, statistics at most every --observe-ms milliseconds) and hands
// every step's record and each epoch's evaluation over; the main thread, every 33 ms, appends
// them to a workflows::TrainingHistory as TrainSession does. After each epoch listed in --report
// (and the last) it prints one JSON line: VmRSS and VmHWM (/proc/self/status), what malloc has
// in use and took from the system (mallinfo2), history.memory_bytes(), the steps and observed
// steps, the thinning's state and the speed. --no-history runs the same without appending (the
// run's own share); --same-thread appends on the training thread instead (see bench/README.md:
// glibc's fragmentation then grows the RSS far beyond what is in use).

#include "train_memory.h"

#include "workflows/train_history.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <malloc.h>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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

// What malloc holds: the bytes in use (allocated, not freed) and what it took from the system
// (heap arenas and mmapped blocks). An RSS far above the first is fragmentation, not a leak.
std::size_t malloc_in_use() {
    const auto m = mallinfo2();
    return m.uordblks + m.hblkhd;
}
std::size_t malloc_system() {
    const auto m = mallinfo2();
    return m.arena + m.hblkhd;
}

struct Options {
    TrainingConfig config;
    std::chrono::milliseconds interval{33};
    std::int64_t every = 0; // > 0: observe every K-th step instead of by time
    std::set<std::int64_t> report = {1, 20};
    bool history = true, same_thread = false;
    std::int64_t trace = 0; // > 0: the RSS every `trace` steps on stderr
};

// What the worker hands the window: records in order, and epoch ends to report.
struct Mailbox {
    std::mutex mutex;
    std::condition_variable wake;
    std::vector<StepRecord> steps;
    std::vector<EvalRecord> evaluations;
    struct EpochEnd {
        std::int64_t epoch, steps, observed;
        double accuracy, seconds;
    };
    std::vector<EpochEnd> epochs;
    bool done = false;
    std::string error;
};

void train(const Options& options, Mailbox& mailbox, TrainingHistory& history) {
    try {
        TrainingRun run(options.config); // built on the worker, as TrainJob does
        bench::WindowProbe observer(run, options.interval, options.every);
        observer.on_record = [&](const StepRecord& record) {
            if (options.history && options.same_thread)
                history.append(record);
            else if (options.history) {
                const std::lock_guard lock(mailbox.mutex);
                mailbox.steps.push_back(record);
            }
            if (options.trace > 0 && record.step % options.trace == 0)
                std::fprintf(stderr, "step %lld rss %zu malloc in use %zu of %zu\n",
                             static_cast<long long>(record.step), status_bytes("VmRSS"),
                             malloc_in_use(), malloc_system());
        };
        run.set_observer(&observer);
        const auto start = Clock::now();
        while (!run.finished() && run.run_epoch()) {
            const auto evaluation = run.evaluate();
            const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
            const std::lock_guard lock(mailbox.mutex);
            if (options.history && options.same_thread)
                history.append(eval_record(evaluation, run.global_step(), run.epoch()));
            else if (options.history)
                mailbox.evaluations.push_back(
                    eval_record(evaluation, run.global_step(), run.epoch()));
            mailbox.epochs.push_back({run.epoch(), run.global_step(), observer.observed(),
                                      evaluation.accuracy, seconds});
        }
        run.set_observer(nullptr);
    } catch (const std::exception& e) {
        const std::lock_guard lock(mailbox.mutex);
        mailbox.error = e.what();
    }
    const std::lock_guard lock(mailbox.mutex);
    mailbox.done = true;
    mailbox.wake.notify_one();
}

std::set<std::int64_t> parse_epochs(const std::string& text) {
    std::set<std::int64_t> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
        out.insert(std::stoll(item));
    return out;
}

Options parse(int argc, char** argv) {
    Options o;
    o.config.model = "mlp";
    o.config.loader.dataset = "fashion-mnist";
    o.config.loader.epochs = 20;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--model")
            o.config.model = value();
        else if (arg == "--epochs")
            o.config.loader.epochs = std::stoll(value());
        else if (arg == "--limit")
            workflows::limit_samples(o.config, std::stoll(value()));
        else if (arg == "--observe-ms")
            o.interval = std::chrono::milliseconds(std::stoll(value()));
        else if (arg == "--observe-every")
            o.every = std::stoll(value());
        else if (arg == "--report")
            o.report = parse_epochs(value());
        else if (arg == "--trace")
            o.trace = std::stoll(value());
        else if (arg == "--no-history")
            o.history = false;
        else if (arg == "--same-thread")
            o.same_thread = true;
        else
            throw std::invalid_argument("unknown argument " + arg);
    }
    o.config.optimizer.lr = default_learning_rate(o.config.optimizer.name);
    o.report.insert(o.config.loader.epochs);
    return o;
}

} // namespace

int main(int argc, char** argv) {
    try {
        const Options options = parse(argc, argv);
        const std::size_t rss_before = status_bytes("VmRSS");
        TrainingHistory history;
        Mailbox mailbox;
        std::thread worker(train, std::cref(options), std::ref(mailbox), std::ref(history));
        // The window: every 33 ms, append what arrived, then report the epochs that ended.
        for (bool done = false; !done;) {
            std::vector<StepRecord> steps;
            std::vector<EvalRecord> evaluations;
            std::vector<Mailbox::EpochEnd> epochs;
            {
                std::unique_lock lock(mailbox.mutex);
                mailbox.wake.wait_for(lock, std::chrono::milliseconds(33));
                steps.swap(mailbox.steps);
                evaluations.swap(mailbox.evaluations);
                epochs.swap(mailbox.epochs);
                done = mailbox.done;
            }
            for (const auto& s : steps)
                history.append(s);
            for (const auto& e : evaluations)
                history.append(e);
            for (const auto& e : epochs) {
                if (!options.report.count(e.epoch)) continue;
                const nlohmann::ordered_json line = {
                    {"model", options.config.model},
                    {"epochs", e.epoch},
                    {"steps", e.steps},
                    {"observed_steps", e.observed},
                    {"history", options.history},
                    {"same_thread", options.same_thread},
                    {"rss_start_bytes", rss_before},
                    {"rss_bytes", status_bytes("VmRSS")},
                    {"hwm_bytes", status_bytes("VmHWM")},
                    {"malloc_in_use_bytes", malloc_in_use()},
                    {"malloc_system_bytes", malloc_system()},
                    {"history_bytes", history.memory_bytes()},
                    {"loss_points", history.losses().size()},
                    {"stride", history.stride()},
                    {"loss_width", history.loss_width()},
                    {"accuracy", e.accuracy},
                    {"seconds", e.seconds},
                    {"steps_per_second", double(e.steps) / e.seconds},
                };
                std::cout << line.dump() << std::endl;
            }
        }
        worker.join();
        if (!mailbox.error.empty()) throw std::runtime_error(mailbox.error);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "nnscope-train-memory: %s\n", e.what());
        return 1;
    }
}
