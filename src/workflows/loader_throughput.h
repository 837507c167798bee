#pragma once
// How fast a configured DataLoader delivers real batches on this machine: its data set, its
// transforms, its collate function and its worker threads (data::build_loader), timed for a
// bounded time or number of batches. For each batch, how long next() waited for it; the first
// (iter() and the workers' start-up) apart from the rest. A sweep runs the same configuration
// with num_workers = 0..4, because more workers is not always faster: past the free cores they
// only add overhead. The DataLoader lab's "Speed" tab and bench/lab_speed.sh use it.

#include "data/loader_config.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace nnscope::workflows {

// How long one measurement runs: until `seconds` of loading have passed or `max_batches`
// batches have arrived, whichever comes first (epochs follow one another, set_epoch included).
struct ThroughputBudget {
    double seconds = 2.0;
    std::int64_t max_batches = 2000;
    bool operator==(const ThroughputBudget&) const = default;
};

// One measured configuration.
struct ThroughputPoint {
    int num_workers = 0;
    std::int64_t batches = 0, samples = 0;        // samples: the batches' dataset indices
    double seconds = 0;                           // from iter() to the last batch
    double samples_per_second = 0;                // samples / seconds, the first batch included
    double first_batch_ms = 0;                    // iter() and the wait for the first batch
    std::vector<double> latency_ms;               // per batch after the first: the wait in next()
    double median_ms = 0, p90_ms = 0, max_ms = 0; // of latency_ms (0 when empty)
    bool complete = true;                         // false when cancelled
};

// The machine the numbers were measured on: its cores and how busy they were just before.
struct MachineLoad {
    unsigned cores = 0; // std::thread::hardware_concurrency(); 0 when unknown
    double load1 = -1, load5 = -1, load15 = -1; // /proc/loadavg; -1 when unreadable
    // cores - load1, at least 0; the cores when the load is unknown.
    double free_cores() const;
};
MachineLoad read_machine_load();
// The first three numbers of a /proc/loadavg line ("0.52 0.58 0.59 1/123 4567"); the loads
// stay -1 when the text is not one.
MachineLoad parse_loadavg(const std::string& text, unsigned cores);

// The p-quantile (0..1) of `values` by linear interpolation between the closest ranks (numpy's
// default); 0 for none.
double quantile(std::vector<double> values, double p);

// Builds the loader (ConfigError naming the field for a bad value) and loads batches until the
// budget is spent, asking `cancel` between batches: a cancelled measurement returns what it had,
// complete == false. The transforms draw from the measurement's own default generator (a new
// interpreter's), as in LoaderSimulation. A sample that cannot be read throws as next() does.
ThroughputPoint measure_throughput(const data::DataLoaderConfig& config,
                                   const ThroughputBudget& budget,
                                   const std::atomic<bool>* cancel = nullptr);

// The configuration with num_workers = k, otherwise unchanged but for prefetch_factor and
// persistent_workers back to their defaults when k is 0 (PyTorch refuses them without workers).
data::DataLoaderConfig with_workers(const data::DataLoaderConfig& config, int k);

// with_workers(config, k) for k = 0, 1, ..., max_workers in turn, each point told to `on_point` as
// it completes. A cancelled point ends the sweep and is neither told nor returned.
constexpr int kSweepMaxWorkers = 4;
std::vector<ThroughputPoint>
sweep_num_workers(const data::DataLoaderConfig& config, const ThroughputBudget& budget,
                  const std::atomic<bool>* cancel = nullptr,
                  const std::function<void(const ThroughputPoint&)>& on_point = {},
                  int max_workers = kSweepMaxWorkers);

// One sentence on a sweep for a person: the fastest worker count with its samples/s against
// num_workers=0, and what the workers past the machine's free cores gained or lost.
std::string sweep_verdict(const std::vector<ThroughputPoint>& points, const MachineLoad& machine);

// The points as CSV: a header, then one line per point (workers, batches, samples, seconds,
// samples/s, first batch, median, p90 and max latency in ms).
std::string throughput_csv(const std::vector<ThroughputPoint>& points);

} // namespace nnscope::workflows
