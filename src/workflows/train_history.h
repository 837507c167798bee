#pragma once
// What the training workspace keeps of a run, bounded however long it trains: the loss and the
// learning rate of every step, each evaluation, and per module the statistics of its activations
// and gradients, and per parameter its norms, at the observed steps. Recent steps stay at full
// resolution; older ones are thinned (every 2nd, then every 4th, ...) so the total stays under a
// budget, except that step 0 and the first step with a non-finite value are always kept whole.
// Plain data, no Qt: the window appends what the worker streams and its views read it.

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
// interpolation inside a bin (exact at 0 and 100: the min and max).
std::vector<double> histogram_percentiles(const StreamStats& stats, const std::vector<double>& qs);

struct LossPoint {
    std::int64_t step = 0;
    double loss = 0, lr = 0;
    double loss_min = 0, loss_max = 0; // of the steps a thinned point stands for
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
};

class TrainingHistory {
public:
    explicit TrainingHistory(HistoryOptions options = {});

    void append(const StepRecord& record);
    void append(const EvalRecord& evaluation);
    void clear();

    const std::vector<LossPoint>& losses() const;
    const std::vector<EvalRecord>& evaluations() const;
    // The modules and parameters seen so far, in first-seen order.
    const std::vector<std::string>& modules() const;
    const std::vector<std::string>& params() const;
    std::string module_type(const std::string& module) const;

    // Points of a module's stream within [first, last] steps (all when unbounded), in step order.
    std::vector<const StreamPoint*> series(const std::string& module, Stream stream,
                                           std::int64_t first = 0,
                                           std::int64_t last = INT64_MAX) const;
    // The point at `step` or the nearest one kept.
    const StreamPoint* at(const std::string& module, Stream stream, std::int64_t step) const;
    std::vector<const ParamPoint*> param_series(const std::string& param, std::int64_t first = 0,
                                                std::int64_t last = INT64_MAX) const;
    // The latest observed step's values (the gradient-flow chart and the live tree).
    std::optional<std::int64_t> last_observed_step() const;

    std::int64_t steps() const; // steps appended (loss points before thinning)
    std::optional<std::int64_t> first_nonfinite_step() const; // a non-finite loss or statistic
    std::size_t memory_bytes() const; // an estimate of what the history holds

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

} // namespace nnscope::workflows
