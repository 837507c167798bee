#include "session/job_board.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace nnscope::session {

int JobBoard::addKind(bool urgent) {
    slots_.emplace_back().urgent = urgent;
    return kinds() - 1;
}

JobBoard::Slot& JobBoard::slot(int kind) {
    return const_cast<Slot&>(std::as_const(*this).slot(kind));
}

const JobBoard::Slot& JobBoard::slot(int kind) const {
    if (kind < 0 || kind >= kinds())
        throw std::out_of_range("JobBoard: no job kind " + std::to_string(kind));
    return slots_[static_cast<std::size_t>(kind)];
}

bool JobBoard::put(int kind, quint64 generation, std::any request) {
    std::lock_guard lock(mutex_);
    Slot& s = slot(kind);
    s.waiting = Request{generation, std::move(request)};
    s.cancel = true;
    updateUrgent();
    if (std::exchange(s.posted, true)) return false;
    posted_.push_back(kind);
    return true;
}

bool JobBoard::putResult(JobResultPtr result) {
    std::lock_guard lock(mutex_);
    results_.push_back(std::move(result));
    return results_.size() == 1;
}

std::deque<JobResultPtr> JobBoard::takeResults() {
    std::lock_guard lock(mutex_);
    return std::exchange(results_, {});
}

std::optional<int> JobBoard::nextPosted() {
    std::lock_guard lock(mutex_);
    if (posted_.empty()) return std::nullopt;
    return posted_.front(); // take() removes it
}

void JobBoard::cancel(int kind) {
    std::lock_guard lock(mutex_);
    Slot& s = slot(kind);
    s.waiting.reset();
    s.cancel = true;
    updateUrgent();
}

void JobBoard::cancelAll() {
    std::lock_guard lock(mutex_);
    for (Slot& s : slots_) {
        s.waiting.reset();
        s.cancel = true;
    }
    updateUrgent();
}

std::optional<JobBoard::Request> JobBoard::take(int kind) {
    std::lock_guard lock(mutex_);
    Slot& s = slot(kind);
    // A kind is in posted_ exactly while its slot says posted (a test may take directly).
    if (std::exchange(s.posted, false))
        posted_.erase(std::find(posted_.begin(), posted_.end(), kind));
    if (!s.waiting) return std::nullopt;
    s.cancel = false;
    auto request = std::exchange(s.waiting, std::nullopt);
    updateUrgent();
    return request;
}

void JobBoard::updateUrgent() {
    bool waiting = false;
    for (const Slot& s : slots_)
        waiting = waiting || (s.urgent && s.waiting);
    urgent_waiting_ = waiting;
}

} // namespace nnscope::session
