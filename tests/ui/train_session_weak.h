#pragma once
// Until the page part's TrainSession lands, the contract stub leaves these members undefined:
// weak definitions with the header's meaning let the training views be linked and tested now,
// and the real (strong) ones replace them as soon as they are linked in. Include in one file of a
// test executable only.

#include "ui/train/train_session.h"

#include <algorithm>

namespace nnscope::ui {

#define NNSCOPE_WEAK __attribute__((weak))
NNSCOPE_WEAK void TrainSession::selectModule(const QString& path) {
    selected_module_ = path;
    emit moduleSelected(path);
}
NNSCOPE_WEAK void
TrainSession::setStepRange(std::optional<std::pair<std::int64_t, std::int64_t>> r) {
    range_ = r;
    emit stepRangeChanged();
}
NNSCOPE_WEAK void TrainSession::setBreakpoints(std::vector<workflows::Breakpoint> breakpoints) {
    breakpoints_ = std::move(breakpoints);
    emit breakpointsChanged();
}
NNSCOPE_WEAK void TrainSession::addBreakpoint(const workflows::Breakpoint& breakpoint) {
    auto list = breakpoints_;
    list.push_back(breakpoint);
    setBreakpoints(std::move(list));
}
NNSCOPE_WEAK std::uint64_t TrainSession::addIntervention(workflows::HookIntervention h) {
    h.id = next_intervention_++;
    interventions_.push_back(h);
    emit interventionsChanged();
    return h.id;
}
NNSCOPE_WEAK void TrainSession::removeIntervention(std::uint64_t id) {
    std::erase_if(interventions_, [id](const auto& h) { return h.id == id; });
    emit interventionsChanged();
}

} // namespace nnscope::ui
