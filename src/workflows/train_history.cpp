// TrainingHistory: what the training workspace keeps of a run (the thinning in train_history.h).

#include "workflows/train_history.h"

#include "workflows/train_history_series.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>

namespace nnscope::workflows {

using history_detail::LossSeries;
using history_detail::ThinnedSeries;

namespace {

bool finite_stream(const std::optional<StreamStats>& stream) {
    if (!stream) return true;
    const auto& s = stream->stats;
    return s.nan == 0 && s.pos_inf == 0 && s.neg_inf == 0;
}

bool finite_record(const StepRecord& record) {
    if (!std::isfinite(record.loss)) return false;
    if (!record.observed) return true;
    for (const auto& module : record.modules)
        if (!finite_stream(module.activation) || !finite_stream(module.gradient)) return false;
    return true;
}

StreamPoint stream_point(std::int64_t step, const StreamStats& stats) {
    StreamPoint point{step, stats, {}};
    point.bands = histogram_percentiles(
        stats, std::vector<double>(std::begin(band_percentiles), std::end(band_percentiles)));
    return point;
}

std::size_t string_bytes(const std::vector<std::string>& names) {
    std::size_t bytes = names.capacity() * sizeof(std::string);
    for (const auto& name : names)
        if (name.capacity() > 15) // beyond libstdc++'s small-string buffer
            bytes += name.capacity() + 1 + history_detail::heap_block_overhead;
    return bytes;
}

} // namespace

struct TrainingHistory::Impl {
    explicit Impl(HistoryOptions o)
        : options(o)
        , losses(o.recent, o.budget_points)
        , recent(o.recent) {}

    struct Module {
        std::string type;
        ThinnedSeries<StreamPoint> streams[2]; // Stream::Activation, Stream::Gradient
    };

    HistoryOptions options;
    LossSeries losses;
    std::vector<EvalRecord> evaluations;
    std::vector<std::string> module_names, param_names;
    std::unordered_map<std::string, std::size_t> module_index, param_index;
    std::vector<Module> modules;
    std::vector<ThinnedSeries<StreamPoint>*> streams; // every module's both, for the thinning
    std::vector<ThinnedSeries<ParamPoint>> params;

    std::int64_t steps = 0;
    std::optional<std::int64_t> last_step, last_observed, first_nonfinite;
    bool observed_nonfinite = false; // an observed step with a non-finite value was pinned
    std::int64_t observed = 0;       // observed steps appended: the next observed index
    std::int64_t stride = 1;
    std::size_t recent;

    Module& module(const ModuleStepStats& stats) {
        auto [it, added] = module_index.try_emplace(stats.module, modules.size());
        if (added) {
            module_names.push_back(stats.module);
            modules.push_back({stats.type, {}});
            streams.clear(); // the vector of modules may have moved
            for (auto& m : modules)
                for (auto& s : m.streams)
                    streams.push_back(&s);
        }
        return modules[it->second];
    }

    ThinnedSeries<ParamPoint>& param(const std::string& name) {
        auto [it, added] = param_index.try_emplace(name, params.size());
        if (added) {
            param_names.push_back(name);
            params.emplace_back();
        }
        return params[it->second];
    }

    template <class F> void each_series(F&& f) {
        for (auto* s : streams)
            f(*s);
        for (auto& s : params)
            f(s);
    }
    template <class F> void each_series(F&& f) const {
        for (const auto* s : streams)
            f(*s);
        for (const auto& s : params)
            f(s);
    }

    std::size_t max_series() const {
        std::size_t most = 0;
        each_series([&](const auto& s) { most = std::max(most, s.size()); });
        return most;
    }
    std::size_t recent_bytes() const {
        std::size_t bytes = 0;
        each_series([&](const auto& s) { bytes += s.recent_bytes(); });
        return bytes;
    }
    std::size_t series_bytes() const {
        std::size_t bytes = 0;
        each_series([&](const auto& s) { bytes += s.old_bytes() + s.recent_bytes(); });
        return bytes;
    }

    // What is not in the series: the losses, the evaluations, the names and their indexes.
    std::size_t other_bytes() const {
        std::size_t bytes = sizeof(Impl) + losses.bytes() + string_bytes(module_names) +
                            string_bytes(param_names) + modules.capacity() * sizeof(Module) +
                            streams.capacity() * sizeof(void*) +
                            params.capacity() * sizeof(ThinnedSeries<ParamPoint>) +
                            evaluations.capacity() * sizeof(EvalRecord);
        for (const auto& e : evaluations)
            bytes += e.confusion.capacity() * sizeof(std::int64_t);
        // The name indexes: a node (hash, name copy, index) and a bucket pointer per name.
        bytes += (module_names.size() + param_names.size()) *
                 (sizeof(std::string) + 3 * sizeof(void*) + history_detail::heap_block_overhead);
        return bytes;
    }

    void settle() {
        const std::int64_t first_recent = observed - std::int64_t(recent);
        each_series([&](auto& s) { s.settle(first_recent, stride); });
    }

    // Thins until every series is under budget_points and all of them under budget_bytes: the
    // stride doubles, or, when the recent windows hold most of the bytes, the window halves.
    void enforce_budget() {
        for (;;) {
            const bool over_points = max_series() > options.budget_points;
            const std::size_t bytes = series_bytes();
            if (!over_points && bytes + other_bytes() <= options.budget_bytes) return;
            if (!over_points && recent > 1 && recent_bytes() > bytes / 2) {
                recent = std::max<std::size_t>(1, recent / 2);
                settle();
            } else if (stride <= observed) {
                stride *= 2;
                each_series([&](auto& s) { s.thin(stride); });
            } else if (recent > 1) {
                recent = std::max<std::size_t>(1, recent / 2);
                settle();
            } else {
                return; // the pinned points and the newest one: nothing left to thin
            }
        }
    }

    void append(const StepRecord& record) {
        if (last_step && record.step <= *last_step)
            throw std::invalid_argument("TrainingHistory: step " + std::to_string(record.step) +
                                        " appended after step " + std::to_string(*last_step) +
                                        " (clear() the history before a new run)");
        const bool finite = finite_record(record);
        bool pinned = record.step == 0;
        if (!finite && !first_nonfinite) {
            first_nonfinite = record.step;
            pinned = true;
        }
        losses.push({record.step, record.loss, record.lr}, pinned);
        last_step = record.step;
        ++steps;
        if (!record.observed) return;

        if (!finite && !observed_nonfinite) {
            observed_nonfinite = true; // its statistics are kept whole, as the first one's
            pinned = true;
        }
        const std::int64_t index = observed++;
        for (const auto& stats : record.modules) {
            auto& m = module(stats);
            if (stats.activation)
                m.streams[0].push(index, pinned, stream_point(record.step, *stats.activation));
            if (stats.gradient)
                m.streams[1].push(index, pinned, stream_point(record.step, *stats.gradient));
        }
        for (const auto& p : record.params)
            param(p.name).push(index, pinned,
                               {record.step, p.grad_norm, p.weight_norm, p.update_norm});
        last_observed = record.step;
        settle();
        enforce_budget();
    }

    const ThinnedSeries<StreamPoint>* find(const std::string& name, Stream stream) const {
        const auto it = module_index.find(name);
        if (it == module_index.end()) return nullptr;
        return &modules[it->second].streams[stream == Stream::Activation ? 0 : 1];
    }
};

TrainingHistory::TrainingHistory(HistoryOptions options) {
    if (options.recent < 1)
        throw std::invalid_argument("TrainingHistory: recent must be at least 1");
    if (options.budget_points < 2 * options.recent + 8)
        throw std::invalid_argument(
            "TrainingHistory: budget_points (" + std::to_string(options.budget_points) +
            ") must be at least 2 x recent + 8 (" + std::to_string(2 * options.recent + 8) + ")");
    if (options.budget_bytes == 0)
        throw std::invalid_argument("TrainingHistory: budget_bytes must be positive");
    impl_ = std::make_shared<Impl>(options);
}

TrainingHistory::TrainingHistory(const TrainingHistory& other)
    : impl_(std::make_shared<Impl>(*other.impl_)) {
    impl_->streams.clear(); // the copy's own series
    for (auto& m : impl_->modules)
        for (auto& s : m.streams)
            impl_->streams.push_back(&s);
}

TrainingHistory& TrainingHistory::operator=(const TrainingHistory& other) {
    if (this != &other) *this = TrainingHistory(other);
    return *this;
}

TrainingHistory::TrainingHistory(TrainingHistory&& other)
    : impl_(std::exchange(other.impl_, std::make_shared<Impl>(other.impl_->options))) {}

TrainingHistory& TrainingHistory::operator=(TrainingHistory&& other) {
    if (this != &other)
        impl_ = std::exchange(other.impl_, std::make_shared<Impl>(other.impl_->options));
    return *this;
}

TrainingHistory::~TrainingHistory() = default;

void TrainingHistory::append(const StepRecord& record) {
    impl_->append(record);
}

void TrainingHistory::append(const EvalRecord& evaluation) {
    impl_->evaluations.push_back(evaluation);
}

void TrainingHistory::clear() {
    impl_ = std::make_shared<Impl>(impl_->options);
}

const std::vector<LossPoint>& TrainingHistory::losses() const {
    return impl_->losses.points();
}
const std::vector<EvalRecord>& TrainingHistory::evaluations() const {
    return impl_->evaluations;
}
const std::vector<std::string>& TrainingHistory::modules() const {
    return impl_->module_names;
}
const std::vector<std::string>& TrainingHistory::params() const {
    return impl_->param_names;
}

std::string TrainingHistory::module_type(const std::string& module) const {
    const auto it = impl_->module_index.find(module);
    return it == impl_->module_index.end() ? std::string() : impl_->modules[it->second].type;
}

std::vector<const StreamPoint*> TrainingHistory::series(const std::string& module, Stream stream,
                                                        std::int64_t first,
                                                        std::int64_t last) const {
    std::vector<const StreamPoint*> out;
    if (const auto* s = impl_->find(module, stream)) {
        out.reserve(s->size());
        s->collect(first, last, out);
    }
    return out;
}

const StreamPoint* TrainingHistory::at(const std::string& module, Stream stream,
                                       std::int64_t step) const {
    const auto* s = impl_->find(module, stream);
    return s ? s->nearest(step) : nullptr;
}

std::vector<const ParamPoint*> TrainingHistory::param_series(const std::string& param,
                                                             std::int64_t first,
                                                             std::int64_t last) const {
    std::vector<const ParamPoint*> out;
    const auto it = impl_->param_index.find(param);
    if (it != impl_->param_index.end()) {
        const auto& s = impl_->params[it->second];
        out.reserve(s.size());
        s.collect(first, last, out);
    }
    return out;
}

std::optional<std::int64_t> TrainingHistory::last_observed_step() const {
    return impl_->last_observed;
}
std::int64_t TrainingHistory::steps() const {
    return impl_->steps;
}
std::optional<std::int64_t> TrainingHistory::first_nonfinite_step() const {
    return impl_->first_nonfinite;
}

std::size_t TrainingHistory::memory_bytes() const {
    return impl_->series_bytes() + impl_->other_bytes();
}

const HistoryOptions& TrainingHistory::options() const {
    return impl_->options;
}
std::int64_t TrainingHistory::stride() const {
    return impl_->stride;
}
std::size_t TrainingHistory::recent() const {
    return impl_->recent;
}
std::int64_t TrainingHistory::loss_width() const {
    return impl_->losses.width();
}

} // namespace nnscope::workflows
