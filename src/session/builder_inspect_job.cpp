#include "session/builder_inspect_job.h"

#include "io/native_model.h"
#include "session/tensor_snapshot.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <stdexcept>

namespace nnscope::session {

namespace {

std::string current_message() {
    try {
        throw;
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown error";
    }
}

// The tensor of each registered slot that has values to show, by state_dict key.
std::vector<std::pair<std::string, Tensor>>
value_tensors(nn::Module& model, const std::vector<workflows::RegisteredTensor>& registered) {
    std::map<std::string, nn::Module*> modules;
    for (const auto& [path, module] : model.named_modules("", false))
        modules.emplace(path, module);
    std::vector<std::pair<std::string, Tensor>> out;
    for (const auto& r : registered) {
        if (r.is_none || r.uninitialized) continue;
        const auto it = modules.find(r.module);
        if (it == modules.end()) continue;
        const Tensor t = r.kind == workflows::RegisteredTensor::Kind::Parameter
                             ? it->second->parameter(r.name)
                             : it->second->buffer(r.name);
        if (t.defined() && t.is_floating_point()) out.emplace_back(r.key, t);
    }
    return out;
}

TensorValues values_of(const Tensor& t, int bins, const JobRun& run) {
    auto summary = stats::summarize_tensor(t, bins, stop_on(run.cancelFlag(), nullptr));
    return {summary.stats, std::move(summary.histogram)};
}

} // namespace

int BuilderInspection::valueIndex(const std::string& key) const {
    const auto it = std::find(value_keys.begin(), value_keys.end(), key);
    return it == value_keys.end() ? -1 : int(it - value_keys.begin());
}

Step BuilderInspectJob::begin(const BuilderInspectRequest& request, const JobRun& run) {
    abandon();
    result_ = std::make_shared<BuilderInspection>();
    result_->request = request;
    try {
        model_ = io::build_native_model(request.spec, request.seed).module;
    } catch (...) {
        result_->build_error = current_message();
        return finish(run);
    }
    result_->tensors = workflows::registered_tensors(*model_);
    result_->saved = workflows::saved_keys(*model_);
    for (const Tensor& p : model_->parameters()) {
        if (!p.defined()) continue;
        result_->parameter_count += p.numel();
        if (p.requires_grad()) result_->trainable_count += p.numel();
    }
    try {
        for (const auto& [key, t] : value_tensors(*model_, result_->tensors)) {
            result_->value_keys.push_back(key);
            result_->before.push_back(values_of(t, request.bins, run));
        }
    } catch (const stats::StatsCancelled&) {
        abandon(); // nothing is sent for a cancelled job
        return Step::Done;
    }
    phase_ = Phase::Apply;
    return Step::Continue;
}

Step BuilderInspectJob::step(const JobRun& run) {
    if (run.cancelled() || !result_) {
        abandon();
        return Step::Done;
    }
    const BuilderInspectRequest& request = result_->request;
    try {
        if (phase_ == Phase::Apply) {
            result_->after = result_->before;
            std::vector<workflows::ApplyStep> steps;
            try { // both refuse an unknown scheme before anything changes
                result_->apply_script = workflows::apply_rules_script(request.rules);
                steps = workflows::apply_rules(*model_, request.rules);
            } catch (...) {
                result_->apply_error = current_message();
            }
            const auto tensors = value_tensors(*model_, result_->tensors);
            for (std::size_t i = 0; i < tensors.size() && i < result_->after.size(); ++i)
                result_->after[i] = values_of(tensors[i].second, request.bins, run);
            for (auto& s : steps) {
                InspectedApplyStep inspected;
                for (std::size_t call = 0; call < s.keys.size(); ++call) {
                    const int k = result_->valueIndex(s.keys[call]);
                    if (k < 0) continue; // skipped, or a tensor without values to show
                    inspected.tensors.push_back({call, s.keys[call],
                                                 result_->before[std::size_t(k)],
                                                 result_->after[std::size_t(k)]});
                }
                inspected.step = std::move(s);
                result_->steps.push_back(std::move(inspected));
            }
            phase_ = Phase::DryRun;
            return Step::Continue;
        }
        if (request.input_shape) {
            try {
                auto fresh = io::build_native_model(request.spec, request.seed).module;
                result_->dry_run =
                    workflows::dry_run(*fresh, *request.input_shape, request.input_dtype);
            } catch (...) {
                result_->dry_run_error = current_message();
            }
        }
    } catch (const stats::StatsCancelled&) {
        abandon(); // nothing is sent for a cancelled job
        return Step::Done;
    }
    return finish(run);
}

Step BuilderInspectJob::finish(const JobRun& run) {
    if (!run.cancelled()) send(run, BuilderInspectionPtr(std::move(result_)));
    abandon();
    return Step::Done;
}

void BuilderInspectJob::abandon() {
    result_.reset();
    model_.reset();
    phase_ = Phase::Apply;
}

Shape parse_input_shape(const std::string& text) {
    std::string cleaned;
    for (char c : text)
        cleaned += (c == ',' || c == 'x' || c == 'X' || c == '*' || c == '[' || c == ']' ||
                    c == '(' || c == ')')
                       ? ' '
                       : c;
    Shape shape;
    std::size_t i = 0;
    while (i < cleaned.size()) {
        if (std::isspace(static_cast<unsigned char>(cleaned[i]))) {
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < cleaned.size() && !std::isspace(static_cast<unsigned char>(cleaned[j])))
            ++j;
        const std::string part = cleaned.substr(i, j - i);
        const bool digits =
            std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || part.size() > 12)
            throw std::invalid_argument("'" + part + "' is not a size: give whole numbers " +
                                        "separated by x, such as 1x1x28x28");
        shape.push_back(std::stoll(part));
        i = j;
    }
    if (shape.empty())
        throw std::invalid_argument("give the input's shape, batch first, such as 1x1x28x28");
    return shape;
}

} // namespace nnscope::session
