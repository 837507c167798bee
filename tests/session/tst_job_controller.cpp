// The generic job mechanism with tiny test-only kinds: the newest request of a kind wins and a
// burst costs one computation, a request cancels the running job of its kind, late results of a
// superseded job are dropped in the GUI thread, non-urgent jobs park while an urgent one waits
// (and run no steps meanwhile), stopping during a job is quick and deletes the kinds in the worker
// thread, and the waiting requests stay bounded at one per kind.

#include "session/job_controller.h"

#include <QElapsedTimer>
#include <QtTest>
#include <atomic>
#include <thread>

using namespace nnscope::session;

namespace {

// What the kinds tell the test, from the worker thread.
struct Probe {
    std::atomic<int> starts{0};
    std::atomic<int> abandons{0};
    std::atomic<int> sent{0};
    std::atomic<bool> saw_yield{false};
    std::atomic<bool> gate_open{true}; // while closed, a step waits (deaf to its cancel flag)
    std::atomic<Qt::HANDLE> destroyed_in{nullptr};
};

struct CountRequest {
    int id = 0;
    int steps = 1;
    int step_ms = 0; // busy time per step, checking the cancel flag every millisecond
};
struct Counted {
    int id = 0;
    int step = 0;
};
struct CountDone {
    int id = 0;
};

// Sends Counted once per step, then CountDone.
class CountJob : public Job<CountRequest, Counted, CountDone> {
public:
    explicit CountJob(Probe* probe)
        : probe_(probe) {}
    ~CountJob() override { probe_->destroyed_in = QThread::currentThreadId(); }

    Step begin(const CountRequest& request, const JobRun&) override {
        ++probe_->starts;
        request_ = request;
        done_ = 0;
        return Step::Continue;
    }
    Step step(const JobRun& run) override {
        while (!probe_->gate_open)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (run.shouldYield()) {
            probe_->saw_yield = true;
            return Step::Yield;
        }
        for (int ms = 0; ms < request_.step_ms && !run.cancelled(); ++ms)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        if (done_ == request_.steps) {
            send(run, CountDone{request_.id});
            ++probe_->sent;
            return Step::Done;
        }
        send(run, Counted{request_.id, ++done_});
        ++probe_->sent;
        return Step::Continue;
    }
    void abandon() override { ++probe_->abandons; }

private:
    Probe* probe_;
    CountRequest request_;
    int done_ = 0;
};

struct EchoRequest {
    int id = 0;
};
struct Echoed {
    int id = 0;
};

// Urgent and single-shot: answers at once.
class EchoJob : public Job<EchoRequest, Echoed> {
public:
    static constexpr bool kUrgent = true;
    explicit EchoJob(Probe* probe)
        : probe_(probe) {}
    Step begin(const EchoRequest& request, const JobRun& run) override {
        send(run, Echoed{request.id});
        ++probe_->sent;
        return Step::Done;
    }

private:
    Probe* probe_;
};

// A controller with both kinds, started.
std::unique_ptr<JobController> make_controller(Probe* probe) {
    auto jobs = std::make_unique<JobController>(QStringLiteral("test jobs"));
    jobs->add<CountJob>(probe);
    jobs->add<EchoJob>(probe);
    jobs->start();
    return jobs;
}

} // namespace

class TestJobController : public QObject {
    Q_OBJECT
private slots:
    void newestRequestWinsAndABurstCostsOneJob() {
        Probe probe;
        auto jobs = make_controller(&probe);
        QList<int> done;
        jobs->on<CountJob, CountDone>(this, [&](const CountDone& d) { done << d.id; });
        // While the worker is held in the first job's step, a burst of 1000 requests follows.
        probe.gate_open = false;
        jobs->request<CountJob>(CountRequest{0, 1, 0});
        QTRY_COMPARE_WITH_TIMEOUT(probe.starts.load(), 1, 10000);
        for (int id = 1; id <= 1000; ++id)
            jobs->request<CountJob>(CountRequest{id, 2, 1});
        probe.gate_open = true;
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
        QTest::qWait(100);
        QCOMPARE(done, QList<int>{1000});
        // The first job and the newest one; the 999 in between never started.
        QCOMPARE(probe.starts.load(), 2);
        QCOMPARE(probe.abandons.load(), 1);
    }

    void cancelStopsTheRunningJob() {
        Probe probe;
        auto jobs = make_controller(&probe);
        QList<int> steps;
        jobs->on<CountJob, Counted>(this, [&](const Counted& c) { steps << c.step; });
        jobs->request<CountJob>(CountRequest{1, 100000, 1});
        QTRY_VERIFY_WITH_TIMEOUT(steps.size() >= 2, 10000);
        jobs->cancel<CountJob>();
        QCOMPARE(jobs->current<CountJob>(), quint64(0));
        QTRY_COMPARE_WITH_TIMEOUT(probe.abandons.load(), 1, 10000);
        const int seen = steps.size();
        QTest::qWait(100);
        QCOMPARE(steps.size(), seen); // nothing after the cancel, not even already queued ones
        QVERIFY(probe.sent.load() < 100000);
    }

    void lateResultOfASupersededJobIsDropped() {
        Probe probe;
        auto jobs = make_controller(&probe);
        QList<int> echoed;
        jobs->on<EchoJob, Echoed>(this, [&](const Echoed& e) { echoed << e.id; });
        const quint64 first = jobs->request<EchoJob>(EchoRequest{1});
        // Wait, without running the GUI event loop, until the worker has sent the answer: it is
        // queued to this thread when the newer request supersedes it.
        QElapsedTimer timer;
        timer.start();
        while (probe.sent.load() < 1 && timer.elapsed() < 10000)
            QThread::msleep(1);
        QCOMPARE(probe.sent.load(), 1);
        const quint64 second = jobs->request<EchoJob>(EchoRequest{2});
        QVERIFY(second > first);
        QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), 1, 10000);
        QTest::qWait(50);
        QCOMPARE(echoed, QList<int>{2});
    }

    void deadReceiverGetsNothing() {
        Probe probe;
        auto jobs = make_controller(&probe);
        int calls = 0;
        auto receiver = std::make_unique<QObject>();
        jobs->on<EchoJob, Echoed>(receiver.get(), [&](const Echoed&) { ++calls; });
        QList<int> echoed;
        jobs->on<EchoJob, Echoed>(this, [&](const Echoed& e) { echoed << e.id; });
        receiver.reset();
        jobs->request<EchoJob>(EchoRequest{3});
        QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), 1, 10000);
        QCOMPARE(calls, 0);
    }

    // With the worker in this thread the order is deterministic: while an urgent request waits,
    // the background job parks after its current step and runs no step at all (no re-queueing
    // every event-loop turn); once the urgent job is done it resumes and finishes.
    void backgroundJobYieldsToAnUrgentOne() {
        Probe probe;
        auto board = std::make_shared<JobBoard>();
        JobWorker worker(board);
        const int count = worker.add<CountJob>(&probe);
        const int echo = worker.add<EchoJob>(&probe);
        std::vector<JobResultPtr> results; // what the worker sent, oldest first
        auto collect = [&] {
            for (JobResultPtr& r : board->takeResults())
                results.push_back(std::move(r));
        };
        QVERIFY(board->put(count, 1, CountRequest{1, 5, 0}));
        worker.take(count);
        QCOMPARE(probe.starts.load(), 1);

        QVERIFY(board->put(echo, 2, EchoRequest{9})); // waits: nobody takes it yet
        QVERIFY(board->urgentFlag()->load());
        for (int i = 0; i < 20; ++i)
            QCoreApplication::processEvents();
        QVERIFY(worker.parked(count));
        const int steps = worker.stepsRun();
        for (int i = 0; i < 50; ++i)
            QCoreApplication::processEvents();
        QCOMPARE(worker.stepsRun(), steps); // parked, not spinning
        collect();
        for (const JobResultPtr& r : results) // at most the step that ran before the request
            QCOMPARE(r->kind, count);
        QVERIFY(results.size() <= 1);

        const std::size_t before = results.size();
        worker.take(echo);
        QVERIFY(!board->urgentFlag()->load());
        collect();
        QCOMPARE(results.size(), before + 1);
        const JobResultPtr answer = results.back();
        QCOMPARE(answer->kind, echo);
        QCOMPARE(answer->generation, quint64(2));
        QCOMPARE(std::any_cast<const Echoed&>(answer->value).id, 9);
        QVERIFY(!worker.parked(count));
        QTRY_VERIFY_WITH_TIMEOUT(!worker.running(count), 10000);
        collect();
        const JobResultPtr last = results.back();
        QCOMPARE(std::any_cast<const CountDone&>(last->value).id, 1);
        int counted = 0;
        for (const JobResultPtr& r : results)
            counted += r->value.type() == typeid(Counted);
        QCOMPARE(counted, 5);
    }

    void stopDuringAJobIsQuickAndCleansUpInTheWorker() {
        for (int wait_ms : {0, 20}) {
            Probe probe;
            auto jobs = make_controller(&probe);
            QThread* thread = jobs->workerThread();
            jobs->request<CountJob>(CountRequest{1, 1000, 100}); // 100 s if never cancelled
            if (wait_ms) QTRY_COMPARE_WITH_TIMEOUT(probe.starts.load(), 1, 10000);
            QTest::qWait(wait_ms);
            QElapsedTimer timer;
            timer.start();
            jobs->stop();
            QVERIFY2(timer.elapsed() < 2000, "stopping waited for the job");
            QVERIFY(thread->isFinished());
            QVERIFY(probe.destroyed_in.load() != nullptr); // the kinds went with the worker
            QVERIFY(probe.destroyed_in.load() != QThread::currentThreadId());
            // A stopped controller takes no more work and delivers nothing.
            QList<int> done;
            jobs->on<CountJob, CountDone>(this, [&](const CountDone& d) { done << d.id; });
            jobs->request<CountJob>(CountRequest{2, 1, 0});
            QTest::qWait(50);
            QVERIFY(done.isEmpty());
        }
    }

    void atMostOneRequestWaitsPerKind() {
        JobBoard board;
        const int kind = board.addKind(false);
        int posts = 0;
        for (quint64 g = 1; g <= 1000; ++g)
            posts += board.put(kind, g, CountRequest{int(g), 1, 0});
        QCOMPARE(posts, 1); // one take on its way for the whole burst
        QVERIFY(board.cancelled(kind));
        const auto taken = board.take(kind);
        QVERIFY(taken);
        QCOMPARE(taken->generation, quint64(1000));
        QCOMPARE(std::any_cast<const CountRequest&>(taken->value).id, 1000);
        QVERIFY(!board.cancelled(kind));
        QVERIFY(!board.take(kind));                     // nothing else waited
        QVERIFY(board.put(kind, 1001, CountRequest{})); // and the next burst posts again
        board.cancel(kind);
        QVERIFY(!board.take(kind));
        QVERIFY(board.cancelled(kind)); // a cancel without a newer request keeps the flag up
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, board.take(7));
    }

    void unregisteredKindIsAClearError() {
        JobController jobs(QStringLiteral("test jobs"));
        jobs.start();
        try {
            jobs.request<EchoJob>(EchoRequest{1});
            QFAIL("no exception");
        } catch (const std::logic_error& e) {
            QVERIFY(QString::fromLatin1(e.what()).contains(QStringLiteral("EchoJob")));
        }
    }
};

QTEST_GUILESS_MAIN(TestJobController)
#include "tst_job_controller.moc"
