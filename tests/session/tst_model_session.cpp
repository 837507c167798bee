// The worker-thread flow: requests go in through SessionController, results come back as queued
// signals in the GUI thread, in order; superseded and cancelled work never delivers; destroying the
// controller during a load stops the worker cleanly.

#include "session/job_worker.h"
#include "session/model_session.h"
#include "session/session_controller.h"
#include "support/files.h"
#include "support/golden.h"

#include <QElapsedTimer>
#include <QtTest>
#include <filesystem>
#include <map>
#include <mutex>

using namespace nnscope;
using session::SessionController;

namespace {

QString mlp() {
    return QStringLiteral(NNSCOPE_RESOURCES_DIR "/models/mlp.safetensors");
}

} // namespace

class TestModelSession : public QObject {
    Q_OBJECT
private slots:
    void loadFlowInOrderInGuiThread() {
        SessionController controller;
        QStringList events;
        QThread* gui = QThread::currentThread();
        bool all_in_gui = true;
        auto note = [&](const QString& what) {
            events << what;
            all_in_gui = all_in_gui && QThread::currentThread() == gui;
        };
        connect(&controller, &SessionController::loadStarted, this,
                [&](const QString& file) { note(QStringLiteral("started ") + file); });
        connect(&controller, &SessionController::loadProgress, this,
                [&](int percent, const QString&) { note(QString::number(percent)); });
        connect(&controller, &SessionController::loaded, this,
                [&](session::DocumentSnapshotPtr doc) {
                    note(QStringLiteral("loaded %1").arg(doc->tensors.size()));
                });
        connect(&controller, &SessionController::statsFinished, this,
                [&] { note(QStringLiteral("stats")); });
        QSignalSpy stats(&controller, &SessionController::statsReady);
        controller.open(mlp());
        QVERIFY(controller.loading());
        QTRY_COMPARE_WITH_TIMEOUT(events.size(), 6, 10000);
        QCOMPARE(events, (QStringList{QStringLiteral("started ") + mlp(), QStringLiteral("0"),
                                      QStringLiteral("50"), QStringLiteral("100"),
                                      QStringLiteral("loaded 6"), QStringLiteral("stats")}));
        QVERIFY(all_in_gui);
        QVERIFY(!controller.loading());
        // Every tensor's statistics arrived, through at least one batch, the last one complete.
        std::map<std::string, session::TensorStats> merged;
        for (const auto& args : stats) {
            const auto batch = args.at(0).value<session::StatsBatchPtr>();
            merged.insert(batch->stats.begin(), batch->stats.end());
        }
        QCOMPARE(merged.size(), std::size_t(6));
        QCOMPARE(stats.last().at(0).value<session::StatsBatchPtr>()->done, 6);
        const std::vector<double> expected =
            test::GoldenFile("snapshot/histc.safetensors").tensor("mlp/3.weight.stats").to_vector();
        QCOMPARE(merged.at("3.weight").min, expected[0]);
        QCOMPARE(merged.at("3.weight").max, expected[1]);
        QVERIFY(std::abs(merged.at("3.weight").std - expected[3]) < 1e-9);
    }

    void errorNamesTheFile() {
        SessionController controller;
        QSignalSpy failed(&controller, &SessionController::loadFailed);
        QSignalSpy loaded(&controller, &SessionController::loaded);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.safetensors"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("\x10\0\0\0\0\0\0\0{\"a\": 3}        ", 24);
        file.close();
        controller.open(path);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
        QCOMPARE(failed.at(0).at(0).toString(), path);
        QVERIFY(!failed.at(0).at(1).toString().isEmpty());
        QCOMPARE(loaded.size(), 0);
        // The session keeps working.
        controller.open(mlp());
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 10000);
    }

    void supersededLoadNeverDelivers() {
        SessionController controller;
        QSignalSpy loaded(&controller, &SessionController::loaded);
        const QString cnn = QStringLiteral(NNSCOPE_RESOURCES_DIR "/models/cnn.safetensors");
        controller.open(mlp());
        controller.open(cnn);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 10000);
        QTest::qWait(200);
        QCOMPARE(loaded.size(), 1);
        QCOMPARE(loaded.at(0).at(0).value<session::DocumentSnapshotPtr>()->file, cnn.toStdString());
    }

    void cancelledLoadNeverDelivers() {
        SessionController controller;
        QSignalSpy loaded(&controller, &SessionController::loaded);
        QSignalSpy cancelled(&controller, &SessionController::loadCancelled);
        controller.open(mlp());
        controller.cancelLoad();
        QCOMPARE(cancelled.size(), 1);
        QVERIFY(!controller.loading());
        QTest::qWait(300);
        QCOMPARE(loaded.size(), 0);
    }

    void newestSnapshotRequestWins() {
        SessionController controller;
        QSignalSpy loaded(&controller, &SessionController::loaded);
        QSignalSpy snapshots(&controller, &SessionController::snapshotReady);
        QCOMPARE(controller.requestSnapshot("1.weight"), quint64(0)); // nothing loaded yet
        controller.open(mlp());
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 10000);
        for (const char* name : {"1.weight", "1.bias", "5.weight", "3.weight"})
            controller.requestSnapshot(name);
        QTRY_COMPARE_WITH_TIMEOUT(snapshots.size(), 1, 10000);
        QTest::qWait(200);
        QCOMPARE(snapshots.size(), 1);
        const auto s = snapshots.at(0).at(0).value<session::TensorSnapshot>();
        QCOMPARE(s.name, std::string("3.weight"));
        const test::GoldenFile golden("snapshot/histc.safetensors");
        QCOMPARE(s.histogram.counts, golden.tensor("mlp/3.weight.counts").to_int64_vector());
        QSignalSpy failed(&controller, &SessionController::snapshotFailed);
        controller.requestSnapshot("no.such.tensor");
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 10000);
    }

    void destroyingDuringALoadIsClean() {
        QTemporaryDir dir;
        const QString path = test::big_model_file(dir.path());
        QElapsedTimer timer;
        for (int wait_ms : {0, 5, 50}) {
            auto controller = std::make_unique<SessionController>();
            QThread* thread = controller->workerThread();
            controller->open(path);
            if (wait_ms) QTest::qWait(wait_ms);
            timer.start();
            controller->stop();
            QVERIFY(thread->isFinished());
            QVERIFY(controller->requestSnapshot("a.weight") == 0); // a stopped session takes none
            controller.reset();
            QVERIFY2(timer.elapsed() < 3000, "stopping the worker took too long");
        }
    }

    // A waiting snapshot request makes the statistics job give way before its next chunk: with
    // the worker in this thread the order is deterministic. While the request waits no tensor's
    // statistics finish and the parked job runs no step (no re-queueing every event-loop turn);
    // the snapshot is served first, then the job resumes, and the snapshot's statistics stand in
    // for the tensor it covered (read once, not twice).
    void waitingSnapshotPausesStatistics() {
        QTemporaryDir dir;
        const QString file =
            test::big_model_file(dir.path()); // 4M-element tensors: several chunks each
        auto board = std::make_shared<session::JobBoard>();
        session::JobWorker worker(board);
        auto context = std::make_shared<session::ModelContext>();
        const int open = worker.add<session::OpenModelJob>(context);
        const int statistics = worker.add<session::StatisticsJob>(context);
        const int snapshot = worker.add<session::SnapshotJob>(context);
        std::vector<session::JobResultPtr> results; // what the worker sent, oldest first
        auto all_of = [&]<class T>(std::type_identity<T>) {
            for (session::JobResultPtr& r : board->takeResults())
                results.push_back(std::move(r));
            std::vector<T> values;
            for (const session::JobResultPtr& r : results)
                if (const T* v = std::any_cast<T>(&r->value)) values.push_back(*v);
            return values;
        };
        board->put(open, 1, session::OpenRequest{file});
        worker.take(open); // synchronous: the worker lives in this thread
        QCOMPARE(all_of(std::type_identity<session::Loaded>{}).size(), std::size_t(1));
        board->put(statistics, 2, session::StatisticsRequest{1});
        worker.take(statistics);
        // A snapshot request waits (what SessionController posts) before the job's first step.
        board->put(snapshot, 7, session::TensorSnapshotRequest{1, "b.weight", {}});
        for (int i = 0; i < 50; ++i)
            QCoreApplication::processEvents();
        QVERIFY(worker.parked(statistics));
        const int steps = worker.stepsRun();
        QTest::qWait(2 * session::StatisticsJob::kIntervalMs); // let the throttle fire
        QCOMPARE(worker.stepsRun(), steps);
        QVERIFY(all_of(std::type_identity<session::StatsFinished>{}).empty());
        std::size_t before = 0;
        for (const auto& batch : all_of(std::type_identity<session::StatsBatchPtr>{}))
            before += batch->stats.size();
        QCOMPARE(before, std::size_t(0));

        worker.take(snapshot);
        const auto snapshots = all_of(std::type_identity<session::TensorSnapshot>{});
        QCOMPARE(snapshots.size(), std::size_t(1));
        QCOMPARE(snapshots[0].name, std::string("b.weight"));
        QCOMPARE(results.back()->generation, quint64(7));
        QVERIFY(!board->urgentFlag()->load());
        QVERIFY(!worker.parked(statistics));

        QTRY_COMPARE_WITH_TIMEOUT(all_of(std::type_identity<session::StatsFinished>{}).size(),
                                  std::size_t(1), 20000);
        std::map<std::string, session::TensorStats> all;
        for (const auto& batch : all_of(std::type_identity<session::StatsBatchPtr>{}))
            for (const auto& [name, stats] : batch->stats)
                all[name] = stats;
        QCOMPARE(all.size(), std::size_t(3));
        for (const auto& [name, stats] : all) {
            QCOMPARE(stats.numel, std::int64_t(2048 * 2048));
            QCOMPARE(stats.mean, 1.0);
        }
    }
};

QTEST_GUILESS_MAIN(TestModelSession)
#include "tst_model_session.moc"
