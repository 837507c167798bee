#pragma once
// The only state the GUI thread and the worker share: one slot per job kind holding the newest
// request (a newer one replaces it, so at most one waits per kind), whether a take is already on
// its way to the worker (so a burst of requests posts one), the kind's cancel flag, and the flag
// that says an urgent request waits. Kinds are added before the worker thread starts.

#include "session/job.h"

#include <QtGlobal>
#include <any>
#include <atomic>
#include <deque>
#include <mutex>
#include <optional>

namespace nnscope::session {

class JobBoard {
public:
    struct Request {
        quint64 generation = 0;
        std::any value;
    };

    // Returns the new kind's index. Not thread-safe: only before the worker runs.
    int addKind(bool urgent);
    int kinds() const { return static_cast<int>(slots_.size()); }
    bool urgent(int kind) const { return slot(kind).urgent; }

    // GUI side. Replaces the kind's waiting request and raises its cancel flag (the running job
    // is superseded); true when the caller must post a take to the worker (none is on its way).
    bool put(int kind, quint64 generation, std::any request);
    // Drops the waiting request and raises the cancel flag.
    void cancel(int kind);
    void cancelAll();

    // Worker side: the kind of the oldest take posted (put() returned true) and not yet taken,
    // if any; take() of that kind removes it. The worker's queued call carries nothing itself: what
    // crosses the threads goes through this board's mutex, which ThreadSanitizer sees (Qt's event
    // queue it cannot).
    std::optional<int> nextPosted();
    // Worker side: the waiting request, if any; taking one lowers the kind's cancel flag.
    std::optional<Request> take(int kind);
    bool cancelled(int kind) const { return slot(kind).cancel.load(); }
    const std::atomic<bool>* cancelFlag(int kind) const { return &slot(kind).cancel; }
    // Raised while a request of an urgent kind waits to be taken.
    const std::atomic<bool>* urgentFlag() const { return &urgent_waiting_; }

    // Worker side: queues a result for the GUI thread; true when the GUI must be told (nothing
    // was waiting: one notification is on its way for any number of results). Like takes, the
    // notification carries nothing: a result crosses the threads under this board's mutex, not
    // inside Qt's event. The streams that could flood this queue are coalesced by a Throttle
    // before they post, as they were when results travelled in Qt's queue.
    bool putResult(JobResultPtr result);
    // GUI side: the results waiting, oldest first.
    std::deque<JobResultPtr> takeResults();

private:
    struct Slot {
        bool urgent = false;
        std::optional<Request> waiting;
        bool posted = false;
        std::atomic<bool> cancel{false};
    };
    Slot& slot(int kind);
    const Slot& slot(int kind) const;
    void updateUrgent(); // under mutex_

    mutable std::mutex mutex_;
    std::deque<Slot> slots_;           // a deque: slots never move (atomics)
    std::deque<int> posted_;           // kinds whose take is on its way, oldest first
    std::deque<JobResultPtr> results_; // for the GUI thread, oldest first
    std::atomic<bool> urgent_waiting_{false};
};

} // namespace nnscope::session
