#pragma once
// The GUI thread's handle on a worker thread running job kinds: typed requests in, typed results
// out, the same rules for every kind. A request gets a fresh generation and replaces the kind's
// waiting one (a burst costs one computation); it cancels the kind's running job; a result is
// handed to its subscribers only when it answers the newest request of its kind (a late answer of
// a superseded or cancelled job is dropped here even if the worker had already sent it), and
// only while the subscriber's receiver object lives (hotspot's JobTracker idea: generation plus
// QPointer). stop() (also the destructor) cancels everything, quits the thread and waits; the
// worker is deleted in its own thread.
//
//   JobController jobs(QStringLiteral("nnscope lab"));
//   jobs.add<SimulateJob>(context);                  // before start()
//   jobs.start();
//   jobs.on<SimulateJob, SimulationStep>(this, [this](const SimulationStep& s) { ... });
//   jobs.request<SimulateJob>(SimulateJob::Request{...});

#include "session/job.h"
#include "session/job_board.h"
#include "session/job_worker.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QThread>
#include <any>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <typeindex>
#include <typeinfo>
#include <unordered_map>
#include <utility>
#include <vector>

namespace nnscope::session {

class JobController : public QObject {
    Q_OBJECT
public:
    explicit JobController(const QString& thread_name, QObject* parent = nullptr);
    ~JobController() override;

    // Registers a job kind; the worker constructs it from args. Only before start().
    template <class Kind, class... Args> void add(Args&&... args) {
        if (started_) throw std::logic_error("JobController::add after start()");
        const int index = worker_->add<Kind>(std::forward<Args>(args)...);
        kinds_.emplace(std::type_index(typeid(Kind)), index);
        current_.push_back(0);
    }
    void start();

    // Asks for a job; returns its generation.
    template <class Kind> quint64 request(typename Kind::Request request) {
        return requestOf(indexOf<Kind>(), std::any(std::move(request)));
    }
    // Cancels the kind's waiting and running job; none of its results arrive any more.
    template <class Kind> void cancel() { cancelOf(indexOf<Kind>()); }
    // The generation whose results are wanted; 0 after a cancel or before any request.
    template <class Kind> quint64 current() const {
        return current_[static_cast<std::size_t>(indexOf<Kind>())];
    }
    // Calls handler(const Result&) in the GUI thread for each wanted result of the kind, while
    // receiver (not null) lives.
    template <class Kind, class Result, class Handler> void on(QObject* receiver, Handler handler) {
        static_assert(Kind::template produces<Result>,
                      "this job kind does not declare that result type");
        if (!receiver) throw std::invalid_argument("JobController::on needs a receiver object");
        handlers_.push_back({indexOf<Kind>(), std::type_index(typeid(Result)), receiver,
                             [handler = std::move(handler)](const std::any& value) {
                                 handler(std::any_cast<const Result&>(value));
                             }});
    }

    // Cancels every kind, stops the worker and waits for its thread.
    void stop();
    QThread* workerThread() { return &thread_; }

private:
    struct Handler {
        int kind;
        std::type_index type;
        QPointer<QObject> receiver;
        std::function<void(const std::any&)> call;
    };

    template <class Kind> int indexOf() const {
        const auto it = kinds_.find(std::type_index(typeid(Kind)));
        if (it == kinds_.end())
            throw std::logic_error(std::string("job kind not registered: ") + typeid(Kind).name());
        return it->second;
    }
    quint64 requestOf(int kind, std::any request);
    void cancelOf(int kind);
    void deliverWaiting(); // every result the board holds, oldest first
    void deliver(const JobResultPtr& result);

    std::shared_ptr<JobBoard> board_ = std::make_shared<JobBoard>();
    QThread thread_;
    JobWorker* worker_ = nullptr; // lives in thread_, deleted there when it finishes
    bool started_ = false;
    std::unordered_map<std::type_index, int> kinds_;
    std::vector<quint64> current_; // by kind
    std::vector<Handler> handlers_;
    quint64 next_generation_ = 1;
};

} // namespace nnscope::session
