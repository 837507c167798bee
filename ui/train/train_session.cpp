// Contract stub: the page part implements TrainSession (see train_session.h).
#include "ui/train/train_session.h"

#include "session/job_controller.h"

namespace nnscope::ui {

TrainSession::TrainSession(QObject* parent)
    : QObject(parent) {}

TrainSession::~TrainSession() = default;

// Stopgap (modules part): the views' setters, so that the window links before the page part's
// TrainSession lands; that implementation replaces this file whole.

void TrainSession::setBreakpoints(std::vector<workflows::Breakpoint> breakpoints) {
    breakpoints_ = std::move(breakpoints);
    emit breakpointsChanged();
}

void TrainSession::addBreakpoint(const workflows::Breakpoint& breakpoint) {
    std::vector<workflows::Breakpoint> all = breakpoints_;
    all.push_back(breakpoint);
    setBreakpoints(std::move(all));
}

std::uint64_t TrainSession::addIntervention(workflows::HookIntervention intervention) {
    intervention.id = next_intervention_++;
    interventions_.push_back(intervention);
    emit interventionsChanged();
    return intervention.id;
}

void TrainSession::removeIntervention(std::uint64_t id) {
    if (std::erase_if(interventions_, [id](const auto& i) { return i.id == id; }) == 0) return;
    emit interventionsChanged();
}

void TrainSession::selectModule(const QString& path) {
    if (path == selected_module_ && path.isNull() == selected_module_.isNull()) return;
    selected_module_ = path;
    emit moduleSelected(path);
}

void TrainSession::setStepRange(std::optional<std::pair<std::int64_t, std::int64_t>> range) {
    if (range && range->first > range->second) std::swap(range->first, range->second);
    if (range == range_) return;
    range_ = range;
    emit stepRangeChanged();
}

} // namespace nnscope::ui
