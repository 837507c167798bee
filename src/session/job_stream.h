#pragma once
// A job's stream of results merged by a Throttle: the job offers after each piece of work and at
// most one value leaves per interval, made by `take` from what piled up since the last one (the
// statistics of the tensors done meanwhile, the newest loss, ...). The Throttle is made in the
// worker thread on the first start, so its timer runs there; what leaves is sent for the job the
// stream was started for, so nothing leaves for a job that was cancelled or superseded.

#include "session/job.h"
#include "session/throttle.h"

#include <functional>
#include <memory>
#include <utility>

namespace nnscope::session {

template <class Value> class JobStream {
public:
    JobStream(int interval_ms, std::function<Value()> take)
        : interval_ms_(interval_ms)
        , take_(std::move(take)) {}

    // Binds the stream to a new job (call from begin()).
    void start(const JobRun& run) {
        if (!throttle_)
            throttle_ = std::make_unique<Throttle>(interval_ms_, [this] { run_.post(take_()); });
        run_ = run;
    }
    void offer() { throttle_->offer(); }
    // Sends what is pending now (before the job's last result, or when it is abandoned).
    void flush() {
        if (throttle_) throttle_->flush();
    }
    // Drops what is pending without taking it (the job was cancelled or superseded, so nothing
    // of it would be delivered anyway); the owner clears its own pile.
    void discard() {
        if (throttle_) throttle_->cancel();
    }

private:
    int interval_ms_;
    std::function<Value()> take_;
    std::unique_ptr<Throttle> throttle_;
    JobRun run_;
};

} // namespace nnscope::session
