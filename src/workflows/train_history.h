#pragma once
// What the training workspace keeps of a run, bounded however long it trains: the loss and the
// learning rate of every step, each evaluation, and per module the statistics of its activations
// and gradients, and per parameter its norms, at the observed steps. Recent steps stay at full
// resolution; older ones are thinned (every 2nd, then every 4th, ...) so the total stays under a
// budget, except that step 0 and the first step with a non-finite value are always kept whole.
// Plain data, no Qt: the window appends what the worker streams and its views read it (one
// thread; no locking inside).
//
// Thinning. Observed steps are numbered in the order they arrive (their observed index k). The
// `recent` newest observed steps of every series are kept whole; an older one is kept while k is
// a multiple of the stride, which doubles (1, 2, 4, ...) whenever a series would exceed
// `budget_points` or the history `budget_bytes`, so the kept steps of every series are the same
// and thinning only ever removes. Should the recent steps alone outgrow `budget_bytes` (a model of
// thousands of modules), the recent window halves instead, for the rest of the run. Losses: every
// step lands in losses(); the newest `recent` to 2 x `recent` stay one point each, older ones are
// merged into buckets of `loss_width()` steps (aligned at multiples of it, which doubles as the
// budget asks) holding their mean, min and max.
//
// Value semantics: a copy is a deep, independent copy (moves are cheap). Pointers and references
// handed out stay valid until the next append() or clear() of this history.

#include "workflows/train_record.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::workflows {

// TensorBoard's distribution bands: the percentiles 0, 7, 16, 31, 50, 69, 84, 93, 100.
inline constexpr double band_percentiles[9] = {0, 7, 16, 31, 50, 69, 84, 93, 100};

// Percentiles `qs` (in [0, 100]) of the finite elements, read from the histogram with linear
// interpolation inside a bin: the value where the histogram's piecewise-linear cumulative count
// reaches q% of its count (exact at 0 and 100: the min and max; within a bin of the exact
// percentile where no bin is empty). NaN when there is no finite element; std::invalid_argument
// for a q outside [0, 100].
std::vector<double> histogram_percentiles(const StreamStats& stats, const std::vector<double>& qs);

struct LossPoint {
    std::int64_t step = 0;             // the first step it stands for
    double loss = 0, lr = 0;           // a thinned point: the mean loss, the lr of its last step
    double loss_min = 0, loss_max = 0; // of the steps a thinned point stands for (NaN ignored)
    std::int64_t last_step = 0;        // the last step it stands for (== step: one step)
    std::int64_t count = 1;            // steps it stands for
};

// One observed step of one stream of one module.
struct StreamPoint {
    std::int64_t step = 0;
    StreamStats stats;
    std::vector<double> bands; // band_percentiles
};

struct ParamPoint {
    std::int64_t step = 0;
    double grad_norm = 0, weight_norm = 0, update_norm = 0;
    double update_ratio() const; // update_norm / weight_norm (NaN if weight_norm is 0)
};

enum class Stream { Activation, Gradient };

struct HistoryOptions {
    std::size_t recent = 1000;        // observed steps kept at full resolution
    std::size_t budget_points = 4000; // per series, older thinned points included
    // What the whole history may hold (memory_bytes()); the series are thinned to stay under it
    // (the losses are bounded by budget_points alone).
    std::size_t budget_bytes = std::size_t(256) << 20;
};

class TrainingHistory {
public:
    // std::invalid_argument unless recent >= 1, budget_points >= 2 x recent + 8 and budget_bytes
    // > 0.
    explicit TrainingHistory(HistoryOptions options = {});
    TrainingHistory(const TrainingHistory& other);
    TrainingHistory& operator=(const TrainingHistory& other);
    // A moved-from history is empty, with the same options.
    TrainingHistory(TrainingHistory&& other);
    TrainingHistory& operator=(TrainingHistory&& other);
    ~TrainingHistory();

    // Steps must come in increasing order (std::invalid_argument otherwise: clear() first for a
    // new run). An evaluation is kept whatever its step.
    void append(const StepRecord& record);
    void append(const EvalRecord& evaluation);
    void clear();

    const std::vector<LossPoint>& losses() const;
    const std::vector<EvalRecord>& evaluations() const;
    // The modules and parameters seen so far, in first-seen order.
    const std::vector<std::string>& modules() const;
    const std::vector<std::string>& params() const;
    std::string module_type(const std::string& module) const;

    // Points of a module's stream within [first, last] steps (all when unbounded), in step order;
    // empty for a module or stream never seen. Costs one pointer per point, no copy of a point.
    std::vector<const StreamPoint*> series(const std::string& module, Stream stream,
                                           std::int64_t first = 0,
                                           std::int64_t last = INT64_MAX) const;
    // The point at `step` or the nearest one kept (the earlier on a tie); null when none.
    const StreamPoint* at(const std::string& module, Stream stream, std::int64_t step) const;
    std::vector<const ParamPoint*> param_series(const std::string& param, std::int64_t first = 0,
                                                std::int64_t last = INT64_MAX) const;
    // The latest observed step's values (the gradient-flow chart and the live tree).
    std::optional<std::int64_t> last_observed_step() const;

    std::int64_t steps() const; // steps appended (loss points before thinning)
    std::optional<std::int64_t> first_nonfinite_step() const; // a non-finite loss or statistic
    std::size_t memory_bytes() const; // an estimate of what the history holds

    const HistoryOptions& options() const;
    // The thinning's state: old observed steps kept are the multiples of stride(); recent() is
    // the window kept whole (options().recent unless the byte budget shrank it); a loss bucket
    // spans loss_width() steps.
    std::int64_t stride() const;
    std::size_t recent() const;
    std::int64_t loss_width() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

} // namespace nnscope::workflows
