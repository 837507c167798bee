#pragma once
// What a training run records per step and per evaluation: the values `nnscope-cli train
// --record` writes as JSON lines, the worker streams to the window and the history keeps.
//
// One line per recorded step (schema in the README, "Training records"):
//   {"step": 0, "epoch": 0, "batch": 0, "loss": 2.30, "lr": 0.1,
//    "modules": [{"module": "1", "type": "Linear",
//                 "activation": {STATS}, "gradient": {STATS}}, ...],
//    "params": [{"name": "1.weight", "grad_norm": .., "weight_norm": .., "update_norm": ..}, ...]}
// STATS = {"numel", "mean", "std", "min", "max", "zero_fraction", "nan", "pos_inf", "neg_inf",
//          "hist": {"lo", "hi", "counts": [64 ints]}} over the whole tensor (never sampled);
// the histogram is torch.histc(t, 64, min, max) over the finite elements.
// One line per evaluation: {"eval": {"step", "loss", "accuracy", "samples", "confusion"}}.

#include "engine/stats/tensor_stats.h"
#include "workflows/evaluation.h"

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace nnscope::workflows {

// Statistics of one tensor at one step (an output activation, or the gradient w.r.t. it).
struct StreamStats {
    stats::TensorStats stats;
    stats::Histogram histogram; // `bins` bins over [min, max] of the finite elements
};

struct ModuleStepStats {
    std::string module; // dotted path
    std::string type;
    std::optional<StreamStats> activation; // the module's output (its forward hook)
    std::optional<StreamStats> gradient;   // grad_output (its full backward hook)
};

struct ParamStepStats {
    static constexpr double none = std::numeric_limits<double>::quiet_NaN();
    std::string name;
    double grad_norm = none;   // ||p.grad|| (2-norm over all elements) before the update
    double weight_norm = none; // ||p|| after the update
    double update_norm = none; // ||p_after - p_before||
};

struct StepRecord {
    std::int64_t step = 0, epoch = 0, batch = 0; // 0-based; step counts over epochs
    std::int64_t samples = 0;
    double loss = 0, lr = 0;
    bool observed = false; // modules and params below are filled (else: loss and lr only)
    std::vector<ModuleStepStats> modules; // named_modules() order, observed modules only
    std::vector<ParamStepStats> params;   // named_parameters() order
    double train_seconds = 0;             // forward, backward and the optimizer step
    double observe_seconds = 0;           // hooks, statistics and norms
};

struct EvalRecord {
    std::int64_t step = 0; // steps trained before the evaluation
    std::int64_t epoch = 0;
    double loss = 0, accuracy = 0;
    std::int64_t samples = 0;
    std::int64_t classes = 0;
    std::vector<std::int64_t> confusion; // classes x classes, row = true label, column = predicted
};

// An evaluation after `step` trained steps, in `epoch`.
EvalRecord eval_record(const Evaluation& evaluation, std::int64_t step, std::int64_t epoch);

// The statistics of `tensor` as one record stream (`bins` histc bins over its finite range).
StreamStats stream_stats(const Tensor& tensor, int bins = 64);

// The JSON lines above.
nlohmann::ordered_json to_json(const StreamStats& s);
nlohmann::ordered_json to_json(const StepRecord& r);
nlohmann::ordered_json to_json(const EvalRecord& r);

} // namespace nnscope::workflows
