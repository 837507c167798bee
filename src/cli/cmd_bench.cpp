// nnscope-cli bench step --model mlp|cnn|FILE [--batch-size 64] [--threads N] [--steps 200]
// [--warmup 10] [--input-shape 1,28,28] [--breakdown]: times zero_grad + forward +
// CrossEntropyLoss + backward + SGD(lr 0.01, momentum 0.9) step on one fixed batch, as
// bench/torch_step.py does in PyTorch, and prints one JSON line with the median, min and mean
// milliseconds, the process's mean CPU time per step (every engine thread's) and the threads
// used; --breakdown adds each phase's median.

#include "cli/commands.h"
#include "cli/shape_flag.h"
#include "cli/subcommands.h"
#include "cli/thread_flags.h"
#include "engine/autograd/grad_mode.h"
#include "engine/generator.h"
#include "engine/ops/loss.h"
#include "engine/optim/sgd.h"
#include "engine/random.h"
#include "workflows/default_models.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

namespace nnscope::cli {

namespace {

using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct PhaseTimes {
    std::vector<double> zero_grad, forward, loss, backward, step, total;
};

// CPU time of the process in milliseconds, every engine thread's (a team's threads waiting for
// work spin a little before they sleep, and that is counted too): unlike wall time, it does not
// grow when other processes share the cores. Read once before and once after the timed steps: on
// virtual machines each read is a system call of 10-20 us.
double process_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

int run(Args args) {
    const bool breakdown = args.flag("breakdown");
    const std::string what = args.positional("what to benchmark (step)");
    if (what != "step") throw UsageError("unknown benchmark '" + what + "' (only 'step')");
    const std::string model_name = args.option_or("model", "mlp");
    const long long batch = args.int_option_or("batch-size", 64);
    apply_threads(args);
    const long long steps = args.int_option_or("steps", 200);
    const long long warmup = args.int_option_or("warmup", 10);
    const Shape sample = parse_shape_flag(args.option_or("input-shape", "1,28,28"), "input-shape");
    args.finish();
    if (batch < 1) throw UsageError("--batch-size must be at least 1");
    if (steps < 1) throw UsageError("--steps must be at least 1");
    if (warmup < 0) throw UsageError("--warmup must not be negative");

    // The model is built after manual_seed(0), then the batch drawn, as torch_step.py does.
    io::NativeModel model = workflows::load_model(model_name);
    nn::Module& module = *model.module;
    module.train(true);
    for (const auto& p : module.parameters())
        if (p.dtype() != DType::Float32)
            throw std::invalid_argument("bench step: only float32 models are supported, got " +
                                        std::string(dtype_name(p.dtype())));

    Shape input_shape{batch};
    input_shape.insert(input_shape.end(), sample.begin(), sample.end());
    const Tensor x = randn(input_shape, default_generator());
    std::int64_t classes = 0;
    {
        autograd::NoGradGuard no_grad;
        const Tensor probe = module(x);
        if (probe.dim() != 2 || probe.size(0) != batch)
            throw std::invalid_argument("bench step: the model's output must be [batch, classes] "
                                        "for CrossEntropyLoss, got " +
                                        shape_to_string(probe.shape()));
        classes = probe.size(1);
    }
    const Tensor y = randint(0, classes, {batch}, default_generator());
    optim::SGDOptions sgd;
    sgd.lr = 0.01;
    sgd.momentum = 0.9;
    optim::SGD optimizer(module.parameters(), sgd);

    PhaseTimes times;
    double cpu_start = 0.0;
    double last_loss = 0.0;
    for (long long i = 0; i < warmup + steps; ++i) {
        if (i == warmup) cpu_start = process_cpu_ms();
        const auto t0 = Clock::now();
        optimizer.zero_grad(false);
        const auto t1 = Clock::now();
        const Tensor out = module(x);
        const auto t2 = Clock::now();
        const Tensor loss = cross_entropy(out, y);
        const auto t3 = Clock::now();
        loss.backward();
        const auto t4 = Clock::now();
        optimizer.step();
        const auto t5 = Clock::now();
        last_loss = loss.item();
        if (!std::isfinite(last_loss))
            throw std::runtime_error("bench step: the loss became " +
                                     std::string(std::isnan(last_loss) ? "NaN" : "infinite") +
                                     " at step " + std::to_string(i));
        if (i < warmup) continue;
        using ms = std::chrono::duration<double, std::milli>;
        times.zero_grad.push_back(ms(t1 - t0).count());
        times.forward.push_back(ms(t2 - t1).count());
        times.loss.push_back(ms(t3 - t2).count());
        times.backward.push_back(ms(t4 - t3).count());
        times.step.push_back(ms(t5 - t4).count());
        times.total.push_back(ms(t5 - t0).count());
    }

    const double cpu_ms = process_cpu_ms() - cpu_start;
    nlohmann::ordered_json result = {
        {"framework", "nnscope"},
        {"model", model_name},
        {"batch_size", batch},
        {"steps", steps},
        {"median_ms", median(times.total)},
        {"min_ms", *std::min_element(times.total.begin(), times.total.end())},
        {"mean_ms", std::accumulate(times.total.begin(), times.total.end(), 0.0) /
                        static_cast<double>(times.total.size())},
        {"final_loss", last_loss},
        {"cpu_mean_ms", cpu_ms / static_cast<double>(steps)},
    };
    add_engine_report(result);
    if (breakdown)
        result["phases_median_ms"] = {{"zero_grad", median(times.zero_grad)},
                                      {"forward", median(times.forward)},
                                      {"loss", median(times.loss)},
                                      {"backward", median(times.backward)},
                                      {"step", median(times.step)}};
    std::cout << result.dump() << std::endl;
    return 0;
}

} // namespace

const Command& bench_command() {
    static const Command command{
        "bench",
        "time a training step: zero_grad, forward, CrossEntropyLoss, backward and an SGD step "
        "(lr 0.01, momentum 0.9) on one fixed batch, as bench/torch_step.py does in PyTorch",
        {positional("WHAT", "what to time: step (the only benchmark so far)"),
         value("model", "mlp|cnn|FILE",
               "the model: a bundled one or a native model file "
               "(default mlp)"),
         value("batch-size", "N", "samples in the batch (default 64)"), threads_option(),
         value("steps", "N", "timed steps (default 200)"),
         value("warmup", "N", "untimed steps before them (default 10)"),
         value("input-shape", "C,H,W", "the shape of one sample (default 1,28,28)"),
         flag("breakdown", "add each phase's median milliseconds to the result")},
        "Prints one JSON line: the median, min and mean milliseconds of a step, the process's "
        "mean CPU time per step (cpu_mean_ms, all engine threads), the threads the step's "
        "operations used (threads) and whether the build can use more than one (parallel).",
        run};
    return command;
}

} // namespace nnscope::cli
