// TrainJob's engine threads: the training loop runs under the request's count, or automatically
// under the process-wide setting less the reserved threads (the window's GUI) and the busy
// DataLoader workers; the count is a cap that never raises the setting; TrainControl changes it
// from the next step on; and the losses are the same bytes for any count.

#include "engine/parallel.h"
#include "train_fixture.h"

#include <QtTest>
#include <cstring>

using namespace nnscope;
using workflows::RunCommand;

namespace {

// Restores the process-wide setting a test changed.
struct SettingGuard {
    int saved = parallel::configured_threads();
    ~SettingGuard() { parallel::set_num_threads(saved); }
};

// What the job reports for `n` threads: n, or 1 in a build without OpenMP (tsan, fuzz).
int used(int n) {
    return parallel::available() ? n : 1;
}

} // namespace

class TestTrainJobThreads : public QObject {
    Q_OBJECT

    test::TrainData data_;

    // The engine threads TrainStarted reports for `request`, under a setting of 3.
    int startedThreads(session::TrainRequest request) {
        test::Trainer t;
        t.start(std::move(request));
        if (!QTest::qWaitFor([&] { return !t.started.empty() || !t.failed.empty(); }, 20000))
            return -1;
        return t.started.empty() ? -2 : t.started.front().engine_threads;
    }

private slots:
    void theRequestSetsTheLoopThreads_data() {
        QTest::addColumn<int>("engine_threads");
        QTest::addColumn<int>("reserved");
        QTest::addColumn<int>("workers");
        QTest::addColumn<bool>("transform");
        QTest::addColumn<int>("expected");
        QTest::newRow("automatic") << 0 << 0 << 0 << false << 3;
        QTest::newRow("automatic, GUI reserved") << 0 << 1 << 0 << false << 2;
        QTest::newRow("automatic, GUI, 1 busy worker") << 0 << 1 << 1 << true << 1;
        QTest::newRow("automatic, 2 idle workers") << 0 << 0 << 2 << false << 3;
        QTest::newRow("automatic, 2 busy workers") << 0 << 0 << 2 << true << 1;
        QTest::newRow("automatic, never below 1") << 0 << 2 << 2 << true << 1;
        QTest::newRow("2, GUI reserved") << 2 << 1 << 0 << false << 2;
        QTest::newRow("5 never raises 3") << 5 << 0 << 0 << false << 3;
    }

    void theRequestSetsTheLoopThreads() {
        QFETCH(int, engine_threads);
        QFETCH(int, reserved);
        QFETCH(int, workers);
        QFETCH(bool, transform);
        QFETCH(int, expected);
        QVERIFY(data_.valid());
        SettingGuard guard;
        parallel::set_num_threads(3);
        session::TrainRequest r = data_.mlp();
        r.engine_threads = engine_threads;
        r.reserved_threads = reserved;
        r.config.loader.num_workers = workers;
        if (transform) r.config.loader.transform = "RandomHorizontalFlip()";
        QCOMPARE(startedThreads(std::move(r)), used(expected));
        QCOMPARE(parallel::configured_threads(), 3); // the job's cap is its thread's own
    }

    void theControlChangesItFromTheNextStep() {
        QVERIFY(data_.valid());
        SettingGuard guard;
        parallel::set_num_threads(3);
        test::Trainer t;
        t.start(data_.mlp());
        QTRY_COMPARE_WITH_TIMEOUT(t.started.size(), std::size_t{1}, 20000);
        QCOMPARE(t.started[0].engine_threads, used(3));
        t.command(RunCommand::StepBatch);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{1}, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(t.steps() == 1, 20000);
        QCOMPARE(t.progress.back()->engine_threads, used(3));
        t.control->set_engine_threads(2);
        t.command(RunCommand::StepBatch);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{2}, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(t.steps() == 2, 20000);
        QCOMPARE(t.progress.back()->engine_threads, used(2));
        t.control->set_engine_threads(0); // automatic: the setting, nothing reserved
        t.command(RunCommand::StepBatch);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{3}, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(t.steps() == 3, 20000);
        QCOMPARE(t.progress.back()->engine_threads, used(3));
        t.command(RunCommand::Stop);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 20000);
    }

    // A whole epoch (16 steps) on 1, 2 and 3 threads: the same losses, bit for bit.
    void lossesAreTheSameBytesForAnyCount() {
        QVERIFY(data_.valid());
        SettingGuard guard;
        parallel::set_num_threads(3);
        std::vector<double> first;
        for (int threads : {1, 2, 3}) {
            test::Trainer t;
            session::TrainRequest r = data_.mlp();
            r.engine_threads = threads;
            r.initial = RunCommand::Run;
            r.observe_every_step = true;
            t.start(std::move(r));
            QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 60000);
            QCOMPARE(t.started.at(0).engine_threads, used(threads));
            std::vector<double> losses;
            for (const workflows::StepRecord& s : t.records())
                losses.push_back(s.loss);
            QCOMPARE(losses.size(), std::size_t{16});
            if (first.empty()) {
                first = losses;
                continue;
            }
            QVERIFY2(std::memcmp(first.data(), losses.data(), first.size() * sizeof(double)) == 0,
                     qPrintable(QStringLiteral("%1 threads").arg(threads)));
        }
    }
};

QTEST_GUILESS_MAIN(TestTrainJobThreads)
#include "tst_train_job_threads.moc"
