#pragma once
// A job kind is one class, worker side: it says what request it takes, what results it sends and
// how it runs, in steps so that other requests are served in between. The generic machinery
// (JobBoard, JobWorker, JobController) gives every kind the same guarantees: the newest request
// of a kind wins, a newer request cancels the running job of its kind, results carry the
// request's generation so that late ones are dropped, and "urgent" kinds make the others yield.
//
//   struct Echo : Job<EchoRequest, EchoReply> {
//       Step begin(const EchoRequest& request, const JobRun& run) override {
//           send(run, EchoReply{request.text});
//           return Step::Done;
//       }
//   };

#include <QMetaType>
#include <QtGlobal>
#include <any>
#include <atomic>
#include <memory>
#include <type_traits>

namespace nnscope::session {

class JobWorker;

// What a job asks the worker to do after one of its steps.
enum class Step {
    Done,     // finished; nothing more to run
    Continue, // run step() again on a later event-loop turn
    Yield,    // an urgent job waits: run step() again once it is done (not before)
};

// One result on its way to the GUI thread: which kind sent it, for which request, and the value
// (one of the kind's result types). Immutable once sent; shared, never copied.
struct JobResult {
    int kind = -1;
    quint64 generation = 0;
    std::any value;
};
using JobResultPtr = std::shared_ptr<const JobResult>;

// The running job's handle on the worker: its generation, its cancel flag (raised by a newer
// request of the kind, a cancel or a stop) and the flag that says an urgent job waits. Cheap to
// copy; a kind may keep it to send results later (from a Throttle), and a result sent for a job
// that is no longer the current one of its kind is dropped.
class JobRun {
public:
    JobRun() = default;
    JobRun(JobWorker* worker, int kind, quint64 generation, const std::atomic<bool>* cancel,
           const std::atomic<bool>* yield)
        : worker_(worker)
        , kind_(kind)
        , generation_(generation)
        , cancel_(cancel)
        , yield_(yield) {}

    quint64 generation() const { return generation_; }
    bool cancelled() const { return cancel_ && cancel_->load(); }
    // For long computations that check flags between chunks (make_tensor_snapshot).
    const std::atomic<bool>* cancelFlag() const { return cancel_; }
    // Raised while an urgent job waits; nullptr for urgent kinds (they never yield).
    const std::atomic<bool>* yieldFlag() const { return yield_; }
    bool shouldYield() const { return yield_ && yield_->load(); }
    // Sends a value to the GUI thread unless the job was cancelled or superseded.
    void post(std::any value) const;

private:
    JobWorker* worker_ = nullptr;
    int kind_ = -1;
    quint64 generation_ = 0;
    const std::atomic<bool>* cancel_ = nullptr;
    const std::atomic<bool>* yield_ = nullptr;
};

// The type-erased side of a kind, as the worker sees it. One object per registered kind lives in
// the worker thread for the controller's lifetime and runs one job (request) at a time.
class JobKind {
public:
    virtual ~JobKind() = default;
    virtual Step start(const std::any& request, const JobRun& run) = 0;
    // The next step of a job whose start or last step returned Continue or Yield.
    virtual Step step(const JobRun&) { return Step::Done; }
    // The job was cancelled or superseded between two steps: forget its state.
    virtual void abandon() {}
};

// The typed base of a kind: Request is what the controller's request<Kind>() takes, Results are
// the only types send() accepts and JobController::on<Kind, Result>() subscribes to.
template <class Req, class... Results> class Job : public JobKind {
public:
    using Request = Req;
    // Urgent kinds (a snapshot the user waits for) make running non-urgent jobs yield; a kind
    // says so by declaring its own `static constexpr bool kUrgent = true;`.
    static constexpr bool kUrgent = false;
    template <class R> static constexpr bool produces = (std::is_same_v<R, Results> || ...);

    virtual Step begin(const Request& request, const JobRun& run) = 0;

protected:
    template <class R> static void send(const JobRun& run, R value) {
        static_assert(produces<R>, "this job kind does not declare that result type");
        run.post(std::any(std::move(value)));
    }

private:
    Step start(const std::any& request, const JobRun& run) final {
        return begin(std::any_cast<const Request&>(request), run);
    }
};

} // namespace nnscope::session

Q_DECLARE_METATYPE(nnscope::session::JobResultPtr)
