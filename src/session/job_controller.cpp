#include "session/job_controller.h"

#include <QMetaObject>
#include <QPointer>

namespace nnscope::session {

JobController::JobController(const QString& thread_name, QObject* parent)
    : QObject(parent) {
    thread_.setObjectName(thread_name);
    worker_ = new JobWorker(board_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    // Queued: the worker lives in another thread once started.
    connect(worker_, &JobWorker::resultsWaiting, this, &JobController::deliverWaiting,
            Qt::QueuedConnection);
}

JobController::~JobController() {
    stop();
    delete worker_; // only when never started; otherwise stop() handed it to its thread
}

void JobController::start() {
    if (started_ || !worker_) return;
    started_ = true;
    worker_->moveToThread(&thread_);
    thread_.start();
}

quint64 JobController::requestOf(int kind, std::any request) {
    const quint64 generation = next_generation_++;
    current_[static_cast<std::size_t>(kind)] = generation;
    // The call carries no arguments (no functor, no captures): the kind travels through the
    // board's mutex, so ThreadSanitizer, blind to Qt's event queue, sees every handover.
    if (board_->put(kind, generation, std::move(request)) && worker_ && started_)
        QMetaObject::invokeMethod(worker_, "takePosted", Qt::QueuedConnection);
    return generation;
}

void JobController::cancelOf(int kind) {
    board_->cancel(kind);
    current_[static_cast<std::size_t>(kind)] = 0;
}

void JobController::deliverWaiting() {
    // A handler may end this controller (a window closed from a message box's event loop).
    const QPointer<JobController> self(this);
    for (const JobResultPtr& result : board_->takeResults()) {
        if (!self) return;
        deliver(result);
    }
}

void JobController::deliver(const JobResultPtr& result) {
    const auto kind = static_cast<std::size_t>(result->kind);
    if (kind >= current_.size() || result->generation != current_[kind]) return; // stale
    const std::type_index type(result->value.type());
    // By index: a handler may subscribe or request more (the vector may grow meanwhile).
    for (std::size_t i = 0; i < handlers_.size(); ++i) {
        if (handlers_[i].kind != result->kind || handlers_[i].type != type) continue;
        if (!handlers_[i].receiver) continue; // its receiver is gone
        const auto call = handlers_[i].call;
        call(result->value);
        if (result->generation != current_[kind]) return; // a handler superseded the job
    }
}

void JobController::stop() {
    board_->cancelAll();
    std::fill(current_.begin(), current_.end(), 0);
    if (!started_) return;
    started_ = false;
    worker_ = nullptr; // deleted in its own thread as the thread finishes
    thread_.quit();
    thread_.wait();
}

} // namespace nnscope::session
