#include "session/job_worker.h"

#include <QMetaObject>

namespace nnscope::session {

void JobRun::post(std::any value) const {
    if (worker_ && !cancelled()) worker_->post(kind_, generation_, std::move(value));
}

JobWorker::JobWorker(std::shared_ptr<JobBoard> board, QObject* parent)
    : QObject(parent)
    , board_(std::move(board)) {}

JobWorker::~JobWorker() = default;

int JobWorker::addKind(std::unique_ptr<JobKind> kind, bool urgent) {
    const int index = board_->addKind(urgent);
    slots_.push_back(Slot{std::move(kind), urgent});
    return index;
}

JobRun JobWorker::runOf(int kind) const {
    const Slot& s = slots_[static_cast<std::size_t>(kind)];
    return JobRun(const_cast<JobWorker*>(this), kind, s.generation, board_->cancelFlag(kind),
                  s.urgent ? nullptr : board_->urgentFlag());
}

void JobWorker::post(int kind, quint64 generation, std::any value) {
    if (slots_[static_cast<std::size_t>(kind)].generation != generation) return; // superseded
    if (board_->putResult(
            std::make_shared<const JobResult>(JobResult{kind, generation, std::move(value)})))
        emit resultsWaiting();
}

void JobWorker::take(int kind) {
    std::optional<JobBoard::Request> request = board_->take(kind);
    Slot& s = slots_.at(static_cast<std::size_t>(kind));
    if (request) {
        if (s.generation) finish(kind, true); // superseded between two of its steps
        s.generation = request->generation;
        ++steps_run_;
        after(kind, s.kind->start(request->value, runOf(kind)));
    }
    // Taking an urgent request (or finding it cancelled) may free the parked jobs.
    if (s.urgent) resumeParked();
}

void JobWorker::takePosted() {
    if (const std::optional<int> kind = board_->nextPosted()) take(*kind);
}

void JobWorker::schedule(int kind) {
    const quint64 generation = slots_[static_cast<std::size_t>(kind)].generation;
    QMetaObject::invokeMethod(
        this, [this, kind, generation] { runStep(kind, generation); }, Qt::QueuedConnection);
}

void JobWorker::runStep(int kind, quint64 generation) {
    Slot& s = slots_[static_cast<std::size_t>(kind)];
    if (s.generation != generation || s.parked) return; // a stale invocation
    if (board_->cancelled(kind)) return finish(kind, true);
    if (!s.urgent && urgentBusy()) {
        s.parked = true;
        return;
    }
    ++steps_run_;
    after(kind, s.kind->step(runOf(kind)));
}

void JobWorker::after(int kind, Step step) {
    Slot& s = slots_[static_cast<std::size_t>(kind)];
    switch (step) {
    case Step::Done:
        return finish(kind, false);
    case Step::Continue:
        return schedule(kind);
    case Step::Yield:
        if (s.urgent || !urgentBusy()) return schedule(kind); // nothing to yield to any more
        s.parked = true;
        return;
    }
}

void JobWorker::finish(int kind, bool abandoned) {
    Slot& s = slots_[static_cast<std::size_t>(kind)];
    s.generation = 0; // first: what abandon() still sends is dropped
    s.parked = false;
    if (abandoned) s.kind->abandon();
    if (s.urgent) resumeParked();
}

bool JobWorker::urgentBusy() const {
    if (board_->urgentFlag()->load()) return true;
    for (const Slot& s : slots_)
        if (s.urgent && s.generation) return true;
    return false;
}

void JobWorker::resumeParked() {
    if (urgentBusy()) return;
    for (std::size_t k = 0; k < slots_.size(); ++k)
        if (slots_[k].parked) {
            slots_[k].parked = false;
            schedule(static_cast<int>(k));
        }
}

} // namespace nnscope::session
