#pragma once
// The worker QObject: lives on the controller's thread and runs the registered job kinds, one
// job per kind at a time, one step per event-loop turn (so a newer request, a cancel or an urgent
// job is served between two steps of a long job). A non-urgent job parks while an urgent request
// waits or an urgent job runs, and resumes when the urgent work is done: no re-queueing while it
// waits. Results wait on the JobBoard, tagged with kind and generation, and resultsWaiting tells
// the GUI thread.

#include "session/job.h"
#include "session/job_board.h"

#include <QObject>
#include <memory>
#include <utility>
#include <vector>

namespace nnscope::session {

class JobWorker : public QObject {
    Q_OBJECT
public:
    explicit JobWorker(std::shared_ptr<JobBoard> board, QObject* parent = nullptr);
    ~JobWorker() override;

    // Registers a kind (before the worker's thread starts); returns its index on the board.
    template <class Kind, class... Args> int add(Args&&... args) {
        return addKind(std::make_unique<Kind>(std::forward<Args>(args)...), Kind::kUrgent);
    }

    // Takes the kind's newest request from the board, if any, and starts it (the controller posts
    // this as a queued call; tests with the worker in their own thread call it directly).
    void take(int kind);
    // What the controller posts: take() of the oldest kind the board says was posted.
    Q_INVOKABLE void takePosted();

    // For tests: how many start/step calls ran, and whether a kind's job is parked.
    int stepsRun() const { return steps_run_; }
    bool parked(int kind) const { return slots_.at(static_cast<std::size_t>(kind)).parked; }
    bool running(int kind) const { return slots_.at(static_cast<std::size_t>(kind)).generation; }

signals:
    // Results wait on the board (JobBoard::takeResults); emitted when the first one arrives.
    void resultsWaiting();

private:
    friend class JobRun;
    struct Slot {
        std::unique_ptr<JobKind> kind;
        bool urgent = false;
        quint64 generation = 0; // of the running job; 0 when none runs
        bool parked = false;
    };

    int addKind(std::unique_ptr<JobKind> kind, bool urgent);
    JobRun runOf(int kind) const;
    void post(int kind, quint64 generation, std::any value);
    void schedule(int kind);
    void runStep(int kind, quint64 generation);
    void after(int kind, Step step);
    void finish(int kind, bool abandoned);
    bool urgentBusy() const;
    void resumeParked();

    std::shared_ptr<JobBoard> board_;
    std::vector<Slot> slots_;
    int steps_run_ = 0;
};

} // namespace nnscope::session
