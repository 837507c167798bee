#include "session/throttle.h"

namespace nnscope::session {

Throttle::Throttle(int interval_ms, std::function<void()> deliver, QObject* parent)
    : QObject(parent)
    , interval_ms_(interval_ms)
    , deliver_(std::move(deliver))
    , timer_(this) {
    timer_.setSingleShot(true);
    connect(&timer_, &QTimer::timeout, this, [this] { fire(); });
}

void Throttle::offer() {
    pending_ = true;
    if (timer_.isActive()) return;
    if (!since_last_.isValid() || since_last_.elapsed() >= interval_ms_) {
        fire();
        return;
    }
    timer_.start(static_cast<int>(interval_ms_ - since_last_.elapsed()));
}

void Throttle::flush() {
    timer_.stop();
    if (pending_) fire();
}

void Throttle::cancel() {
    timer_.stop();
    pending_ = false;
}

void Throttle::fire() {
    if (!pending_) return;
    pending_ = false;
    since_last_.start();
    deliver_();
}

} // namespace nnscope::session
