#include "workflows/train_record.h"

namespace nnscope::workflows {

StreamStats stream_stats(const Tensor& tensor, int bins) {
    stats::TensorSummary summary = stats::summarize_tensor(tensor, bins);
    return StreamStats{summary.stats, std::move(summary.histogram)};
}

EvalRecord eval_record(const Evaluation& e, std::int64_t step, std::int64_t epoch) {
    return EvalRecord{step, epoch, e.loss, e.accuracy, e.samples, e.classes, e.confusion};
}

nlohmann::ordered_json to_json(const StreamStats& s) {
    // NaN (no finite element) is written as null, as nlohmann writes every non-finite number.
    return {
        {"numel", s.stats.numel},
        {"mean", s.stats.mean},
        {"std", s.stats.std},
        {"min", s.stats.min},
        {"max", s.stats.max},
        {"zero_fraction", s.stats.zero_fraction()},
        {"nan", s.stats.nan},
        {"pos_inf", s.stats.pos_inf},
        {"neg_inf", s.stats.neg_inf},
        {"hist", {{"lo", s.histogram.lo}, {"hi", s.histogram.hi}, {"counts", s.histogram.counts}}},
    };
}

nlohmann::ordered_json to_json(const StepRecord& r) {
    nlohmann::ordered_json j = {
        {"step", r.step}, {"epoch", r.epoch},     {"batch", r.batch},
        {"loss", r.loss}, {"samples", r.samples}, {"lr", r.lr},
    };
    if (!r.observed) return j;
    auto modules = nlohmann::ordered_json::array();
    for (const ModuleStepStats& m : r.modules) {
        nlohmann::ordered_json line = {{"module", m.module}, {"type", m.type}};
        if (m.activation) line["activation"] = to_json(*m.activation);
        if (m.gradient) line["gradient"] = to_json(*m.gradient);
        modules.push_back(std::move(line));
    }
    auto params = nlohmann::ordered_json::array();
    for (const ParamStepStats& p : r.params)
        params.push_back({{"name", p.name},
                          {"grad_norm", p.grad_norm},
                          {"weight_norm", p.weight_norm},
                          {"update_norm", p.update_norm}});
    j["modules"] = std::move(modules);
    j["params"] = std::move(params);
    j["train_seconds"] = r.train_seconds;
    j["observe_seconds"] = r.observe_seconds;
    return j;
}

nlohmann::ordered_json to_json(const EvalRecord& r) {
    return {{"eval",
             {{"step", r.step},
              {"epoch", r.epoch},
              {"loss", r.loss},
              {"accuracy", r.accuracy},
              {"samples", r.samples},
              {"classes", r.classes},
              {"confusion", r.confusion}}}};
}

} // namespace nnscope::workflows
