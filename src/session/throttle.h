#pragma once
// Coalesces a stream of updates into at most one delivery per interval: the worker may produce
// snapshots far faster than a window can draw them, and only the newest one matters. Lives in the
// thread that calls offer(); deliveries happen in that thread's event loop.

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <functional>

namespace nnscope::session {

class Throttle : public QObject {
    Q_OBJECT
public:
    // deliver is called with no arguments when a pending update may go out; the owner keeps the
    // newest snapshot itself and sends it from deliver.
    Throttle(int interval_ms, std::function<void()> deliver, QObject* parent = nullptr);

    // Marks an update as pending. The first one after a quiet interval goes out at once; later ones
    // wait for the interval to pass and are merged into one delivery.
    void offer();
    // Delivers a pending update now (at the end of a job, so the last state is never held back).
    void flush();
    // Forgets a pending update without delivering it (the job it belonged to is gone).
    void cancel();
    bool pending() const { return pending_; }
    int interval_ms() const { return interval_ms_; }

private:
    void fire();

    int interval_ms_;
    std::function<void()> deliver_;
    QTimer timer_;
    QElapsedTimer since_last_;
    bool pending_ = false;
};

} // namespace nnscope::session
