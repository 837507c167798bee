// The opened file changes underneath the session: statistics and snapshots stop with the change
// rather than show data that is no longer the file's, reload() reads it again, and a watch
// reloads by itself once a writer is done (an atomic rename, or in-place writes that stop),
// never from a half-written file.

#include "io/safetensors.h"
#include "session/session_controller.h"
#include "support/files.h"

#include <QtTest>
#include <filesystem>

using namespace nnscope;
using session::SessionController;

namespace {

namespace fs = std::filesystem;

fs::path write_model(const QTemporaryDir& dir, float value,
                     const char* name = "model.safetensors") {
    const fs::path path = fs::path(dir.path().toStdString()) / name;
    io::save_safetensors(path, {{"fc.weight", Tensor::full({256, 256}, value)},
                                {"fc.bias", Tensor::full({256}, value)}});
    return path;
}

// Writes like torch.save: the same path truncated, then filled.
void rewrite_in_place(const fs::path& path, const std::string& bytes) {
    test::write_bytes(path.string(), bytes);
}

void next_clock_tick() {
    QTest::qWait(30); // the mtime moves only when the clock ticks
}

// Opens `path` with the watch on (short waits for the test) and waits until it is shown.
bool open_watched(SessionController& controller, const fs::path& path, int quiet_ms) {
    controller.fileWatch().setQuietPeriodMs(quiet_ms);
    controller.fileWatch().setPollIntervalMs(50);
    controller.setWatching(true);
    QSignalSpy loaded(&controller, &SessionController::loaded);
    controller.open(QString::fromStdString(path.string()));
    return loaded.wait(10000);
}

double loaded_value(SessionController& controller, QSignalSpy& snapshots) {
    snapshots.clear();
    controller.requestSnapshot("fc.weight");
    if (!snapshots.wait(10000)) return -1;
    return snapshots.last().at(0).value<session::TensorSnapshot>().stats.mean;
}

} // namespace

class TestFileWatch : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qRegisterMetaType<session::TensorSnapshot>(); }

    void snapshotOfChangedFileFails() {
        QTemporaryDir dir;
        const fs::path path = write_model(dir, 1.0f);
        SessionController controller;
        QSignalSpy loaded(&controller, &SessionController::loaded);
        QSignalSpy finished(&controller, &SessionController::statsFinished);
        controller.open(QString::fromStdString(path.string()));
        QVERIFY(loaded.wait(10000));
        QVERIFY(finished.count() == 1 || finished.wait(10000));

        next_clock_tick();
        fs::resize_file(path, 100);
        QSignalSpy failed(&controller, &SessionController::snapshotFailed);
        QSignalSpy changed(&controller, &SessionController::fileChanged);
        QSignalSpy snapshots(&controller, &SessionController::snapshotReady);
        controller.requestSnapshot("fc.weight");
        QVERIFY(failed.wait(10000));
        QCOMPARE(snapshots.count(), 0);
        QVERIFY(changed.count() >= 1);
        const QString message = failed.last().at(1).toString();
        QVERIFY2(message.startsWith(QStringLiteral(
                     "model.safetensors changed on disk after it was opened (size 257.")),
                 qPrintable(message));
        QVERIFY2(message.endsWith(QStringLiteral(" KB -> 100 B); reload it")), qPrintable(message));
    }

    // Replaced by rename, the old file still reads its old bytes through the open descriptor: a
    // heatmap window must be refused as the snapshot is, not drawn from a file that is gone.
    void sliceOfRenamedFileFails() {
        QTemporaryDir dir;
        const fs::path path = write_model(dir, 1.0f);
        SessionController controller;
        QSignalSpy loaded(&controller, &SessionController::loaded);
        controller.open(QString::fromStdString(path.string()));
        QVERIFY(loaded.wait(10000));

        next_clock_tick();
        fs::rename(write_model(dir, 2.0f, "model.tmp"), path);
        QSignalSpy failed(&controller, &SessionController::sliceFailed);
        QSignalSpy slices(&controller, &SessionController::sliceReady);
        QVERIFY(controller.requestSlice({0, "fc.weight", {}, 7}) != 0);
        QVERIFY(failed.wait(10000));
        QCOMPARE(slices.count(), 0);
        QCOMPARE(failed.last().at(2).toULongLong(), 7ull);
        QVERIFY2(failed.last().at(1).toString().contains(QStringLiteral("changed on disk")),
                 qPrintable(failed.last().at(1).toString()));
    }

    void statisticsStopAtChange() {
        QTemporaryDir dir;
        const fs::path path = fs::path(dir.path().toStdString()) / "many.safetensors";
        io::NamedTensors tensors;
        for (int i = 0; i < 40; ++i)
            tensors.emplace_back("layer" + std::to_string(i) + ".weight",
                                 Tensor::full({512, 512}, 1.0));
        io::save_safetensors(path, tensors);
        SessionController controller;
        QSignalSpy loaded(&controller, &SessionController::loaded);
        QSignalSpy changed(&controller, &SessionController::fileChanged);
        QSignalSpy finished(&controller, &SessionController::statsFinished);
        QSignalSpy batches(&controller, &SessionController::statsReady);
        // Truncated as soon as the document is shown, while its statistics stream.
        connect(&controller, &SessionController::loaded, this,
                [&] { fs::resize_file(path, 1000); });
        controller.open(QString::fromStdString(path.string()));
        QVERIFY(loaded.wait(10000));
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 10000);
        QVERIFY(changed.count() >= 1);
        QVERIFY(changed.first().at(0).toString().contains(QStringLiteral("changed on disk")));
        // No tensor's statistics were made up from a part of the file.
        int with_stats = 0;
        for (const auto& args : batches)
            for (const auto& [name, stats] : args.at(0).value<session::StatsBatchPtr>()->stats) {
                QCOMPARE(stats.mean, 1.0);
                ++with_stats;
            }
        QVERIFY2(with_stats < 40, qPrintable(QString::number(with_stats)));
    }

    void reloadReadsTheNewFile() {
        QTemporaryDir dir;
        const fs::path path = write_model(dir, 1.0f);
        SessionController controller;
        QSignalSpy loaded(&controller, &SessionController::loaded);
        QSignalSpy snapshots(&controller, &SessionController::snapshotReady);
        QSignalSpy about(&controller, &SessionController::aboutToReload);
        controller.open(QString::fromStdString(path.string()));
        QVERIFY(loaded.wait(10000));
        QCOMPARE(loaded_value(controller, snapshots), 1.0);
        next_clock_tick();
        write_model(dir, 2.0f);
        QVERIFY(controller.checkFile());
        QVERIFY(controller.reload() != 0);
        QCOMPARE(about.count(), 1);
        QVERIFY(loaded.wait(10000));
        QVERIFY(!controller.checkFile());
        QCOMPARE(loaded_value(controller, snapshots), 2.0);
    }

    void watchReloadsAfterRename() {
        QTemporaryDir dir;
        const fs::path path = write_model(dir, 1.0f);
        SessionController controller;
        QVERIFY(open_watched(controller, path, 200));
        QSignalSpy loaded(&controller, &SessionController::loaded);
        QSignalSpy snapshots(&controller, &SessionController::snapshotReady);
        const fs::path next = write_model(dir, 3.0f, "model.tmp");
        fs::rename(next, path);
        QVERIFY(loaded.wait(10000)); // no request from the test: the watch reloaded
        QCOMPARE(loaded_value(controller, snapshots), 3.0);
    }

    // Written in place in pieces: no reload while the writes go on (a half-written file fails to
    // open and would show nothing), one once they have stopped for the quiet period.
    void watchWaitsForQuietAfterInPlaceWrites() {
        QTemporaryDir dir;
        const fs::path path = write_model(dir, 1.0f);
        const fs::path other = write_model(dir, 4.0f, "other.safetensors");
        const std::string bytes = test::read_bytes(other.string());
        SessionController controller;
        QVERIFY(open_watched(controller, path, 400));
        QSignalSpy loaded(&controller, &SessionController::loaded);
        QSignalSpy failed(&controller, &SessionController::loadFailed);
        QSignalSpy snapshots(&controller, &SessionController::snapshotReady);
        next_clock_tick();
        const std::size_t pieces = 8;
        for (std::size_t i = 1; i <= pieces; ++i) { // a writer at work: 8 x 100 ms
            rewrite_in_place(path, bytes.substr(0, bytes.size() * i / pieces));
            QTest::qWait(100);
            QCOMPARE(loaded.count(), 0);
        }
        QVERIFY(loaded.wait(10000));
        QCOMPARE(failed.count(), 0);
        QCOMPARE(loaded_value(controller, snapshots), 4.0);
    }

    // A file that stays broken after the writer stopped is tried once, not over and over; the
    // last good document stays.
    void watchTriesABrokenFileOnce() {
        QTemporaryDir dir;
        const fs::path path = write_model(dir, 1.0f);
        SessionController controller;
        QVERIFY(open_watched(controller, path, 100));
        QSignalSpy loaded(&controller, &SessionController::loaded);
        QSignalSpy failed(&controller, &SessionController::loadFailed);
        next_clock_tick();
        rewrite_in_place(path, "not a model");
        QVERIFY(failed.wait(10000));
        QTest::qWait(500);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(loaded.count(), 0);
        QCOMPARE(controller.file(), QString::fromStdString(path.string()));
    }
};

QTEST_GUILESS_MAIN(TestFileWatch)
#include "tst_file_watch.moc"
