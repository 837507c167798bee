#include "workflows/loader_throughput.h"

#include "data/dataloader_iterator.h"
#include "data/loader_factory.h"
#include "data/read_cancel.h"
#include "engine/generator.h"
#include "workflows/dataset_cache.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <thread>

namespace nnscope::workflows {

namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

void summarise(ThroughputPoint& p) {
    p.samples_per_second = p.seconds > 0 ? static_cast<double>(p.samples) / p.seconds : 0;
    p.median_ms = quantile(p.latency_ms, 0.5);
    p.p90_ms = quantile(p.latency_ms, 0.9);
    p.max_ms =
        p.latency_ms.empty() ? 0 : *std::max_element(p.latency_ms.begin(), p.latency_ms.end());
}

std::string fixed(double value, int decimals) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(decimals) << value;
    return out.str();
}

} // namespace

double MachineLoad::free_cores() const {
    if (load1 < 0) return cores;
    return std::max(0.0, static_cast<double>(cores) - load1);
}

MachineLoad parse_loadavg(const std::string& text, unsigned cores) {
    MachineLoad m;
    m.cores = cores;
    std::istringstream in(text);
    double a = 0, b = 0, c = 0;
    if (in >> a >> b >> c && a >= 0 && b >= 0 && c >= 0) {
        m.load1 = a;
        m.load5 = b;
        m.load15 = c;
    }
    return m;
}

MachineLoad read_machine_load() {
    std::ifstream file("/proc/loadavg");
    std::string line;
    std::getline(file, line);
    return parse_loadavg(line, std::thread::hardware_concurrency());
}

double quantile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const double at = std::clamp(p, 0.0, 1.0) * static_cast<double>(values.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(at));
    const auto above = std::min(below + 1, values.size() - 1);
    return values[below] + (at - static_cast<double>(below)) * (values[above] - values[below]);
}

ThroughputPoint measure_throughput(const data::DataLoaderConfig& config,
                                   const ThroughputBudget& budget,
                                   const std::atomic<bool>* cancel) {
    // A new interpreter's default generator, ours while we build and load: the main thread's
    // random transforms (num_workers == 0) draw from it and from nothing another job shares.
    Generator own;
    data::BuiltLoader built = [&] {
        const data::ReadCancelScope reading(cancel); // the first open of a data set can be long
        return build_fresh_loader(config, own, DatasetSource::Cached);
    }();
    DefaultGeneratorScope scope(own);

    ThroughputPoint p;
    p.num_workers = config.num_workers;
    std::shared_ptr<data::DataLoaderIterator> iterator;
    std::int64_t epoch = 0, in_epoch = 0;
    const auto start = Clock::now();
    auto last = start;
    while (p.batches < budget.max_batches &&
           (p.batches == 0 || ms_between(start, last) < budget.seconds * 1000)) {
        if (cancel && cancel->load()) {
            p.complete = false;
            break;
        }
        const auto before = Clock::now();
        if (!iterator) {
            iterator = built.start_epoch(epoch);
            in_epoch = 0;
        }
        auto batch = iterator->next();
        if (!batch) {
            iterator.reset();
            ++epoch;
            if (in_epoch == 0) break; // an epoch without batches: nothing more will come
            continue;
        }
        last = Clock::now();
        const double waited = ms_between(before, last);
        if (p.batches == 0)
            p.first_batch_ms = waited;
        else
            p.latency_ms.push_back(waited);
        ++p.batches;
        ++in_epoch;
        p.samples += static_cast<std::int64_t>(batch->indices.size());
    }
    p.seconds = ms_between(start, last) / 1000;
    iterator.reset(); // joins the workers before the generator scope ends
    summarise(p);
    return p;
}

data::DataLoaderConfig with_workers(const data::DataLoaderConfig& config, int k) {
    data::DataLoaderConfig c = config;
    c.num_workers = k;
    if (k == 0) {
        c.prefetch_factor = data::DataLoaderConfig{}.prefetch_factor;
        c.persistent_workers = false;
    }
    return c;
}

std::vector<ThroughputPoint>
sweep_num_workers(const data::DataLoaderConfig& config, const ThroughputBudget& budget,
                  const std::atomic<bool>* cancel,
                  const std::function<void(const ThroughputPoint&)>& on_point, int max_workers) {
    std::vector<ThroughputPoint> points;
    for (int k = 0; k <= max_workers; ++k) {
        ThroughputPoint p = measure_throughput(with_workers(config, k), budget, cancel);
        if (!p.complete) break;
        if (on_point) on_point(p);
        points.push_back(std::move(p));
    }
    return points;
}

std::string sweep_verdict(const std::vector<ThroughputPoint>& points, const MachineLoad& machine) {
    if (points.empty()) return {};
    const auto best =
        std::max_element(points.begin(), points.end(), [](const auto& a, const auto& b) {
            return a.samples_per_second < b.samples_per_second;
        });
    std::string out = "Fastest with num_workers=" + std::to_string(best->num_workers) + ": " +
                      fixed(best->samples_per_second, 0) + " samples/s";
    const auto zero = std::find_if(points.begin(), points.end(),
                                   [](const auto& p) { return p.num_workers == 0; });
    if (zero != points.end() && zero != best && zero->samples_per_second > 0)
        out += " (" + fixed(best->samples_per_second / zero->samples_per_second, 2) +
               "x num_workers=0)";
    out += ".";
    const auto most =
        std::max_element(points.begin(), points.end(), [](const auto& a, const auto& b) {
            return a.num_workers < b.num_workers;
        });
    if (machine.cores > 0 && most->num_workers > static_cast<int>(machine.cores) && most != best &&
        best->samples_per_second > 0) {
        const double loss = 100 * (1 - most->samples_per_second / best->samples_per_second);
        out += " Past the " + std::to_string(machine.cores) +
               " cores more workers only add overhead: num_workers=" +
               std::to_string(most->num_workers) + " gives " + fixed(most->samples_per_second, 0) +
               " samples/s, " + fixed(loss, 0) + "% less.";
    }
    return out;
}

std::string throughput_csv(const std::vector<ThroughputPoint>& points) {
    std::ostringstream out;
    out << "num_workers,batches,samples,seconds,samples_per_second,first_batch_ms,median_ms,"
           "p90_ms,max_ms\n";
    out << std::setprecision(9);
    for (const auto& p : points)
        out << p.num_workers << ',' << p.batches << ',' << p.samples << ',' << p.seconds << ','
            << p.samples_per_second << ',' << p.first_batch_ms << ',' << p.median_ms << ','
            << p.p90_ms << ',' << p.max_ms << '\n';
    return out.str();
}

} // namespace nnscope::workflows
