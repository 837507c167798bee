// The window's engine-threads setting (Settings > Engine Threads…): it reaches the engine, it is
// remembered across a restart (QSettings of a test organisation), --screenshot's window leaves it
// alone, and a training run gets it: automatic keeps a core for the GUI, a count is used as it is,
// and a change reaches the run under way from its next step.

#include "engine/parallel.h"
#include "ui/engine_threads.h"
#include "ui/main_window.h"
#include "ui/train/train_session.h"
#include "workflows/learnable_data.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using ui::EngineThreads;
using ui::MainWindow;
using ui::TrainSession;
using workflows::RunCommand;

namespace {

// The automatic count in this test: the engine's setting before EngineThreads first looked.
constexpr int kAutomatic = 4;

int used(int n) {
    return parallel::available() ? n : 1;
}

} // namespace

class TestEngineThreads : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    workflows::TrainingConfig smallRun() const {
        workflows::TrainingConfig c;
        c.model = "mlp";
        c.loader.dataset = "mnist:" + dir_.filePath("idx").toStdString();
        c.loader.batch_size = 16;
        c.seed = 1;
        return c;
    }

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true); // never the user's settings
        QCoreApplication::setOrganizationName(QStringLiteral("nnscope-tests-engine-threads"));
        QSettings().clear();
        // The same automatic count on any machine: the engine's default as the window finds it.
        parallel::set_num_threads(kAutomatic);
        QCOMPARE(EngineThreads::instance().automaticThreads(), kAutomatic);
        QVERIFY(dir_.isValid());
        QDir().mkpath(dir_.filePath("idx"));
        QDir().mkpath(dir_.filePath("news"));
        test::write_learnable_data(dir_.path().toStdString());
    }

    void cleanupTestCase() { QSettings().clear(); }

    void theMenuHasTheSetting() {
        MainWindow window;
        QAction* action = window.engineThreadsAction();
        QVERIFY(action);
        QMenu* settings = nullptr;
        for (QAction* menu : window.menuBar()->actions())
            if (menu->text() == QStringLiteral("&Settings")) settings = menu->menu();
        QVERIFY(settings);
        QVERIFY(settings->actions().contains(action));
        const EngineThreads& threads = EngineThreads::instance();
        QCOMPARE(threads.describe(0), QStringLiteral("Automatic (4 threads, 3 while training)"));
        QCOMPARE(threads.describe(1), QStringLiteral("1 thread"));
        QCOMPARE(threads.describe(3), QStringLiteral("3 threads"));
    }

    void settingReachesTheEngineAndSurvivesARestart() {
        {
            MainWindow window;
            QCOMPARE(EngineThreads::instance().setting(), 0); // nothing stored: automatic
            QCOMPARE(parallel::configured_threads(), kAutomatic);
            QSignalSpy changed(&EngineThreads::instance(), &EngineThreads::changed);
            window.setEngineThreads(3);
            QCOMPARE(parallel::configured_threads(), 3);
            QCOMPARE(changed.size(), 1);
            QCOMPARE(QSettings().value(EngineThreads::kKey).toInt(), 3);
        }
        // A new process would start from the engine's default; the window brings the choice back.
        EngineThreads::instance().set(0);
        QCOMPARE(parallel::configured_threads(), kAutomatic);
        {
            MainWindow window;
            QCOMPARE(EngineThreads::instance().setting(), 3);
            QCOMPARE(parallel::configured_threads(), 3);
            window.setEngineThreads(0);
            QCOMPARE(parallel::configured_threads(), kAutomatic);
        }
        {
            MainWindow window;
            QCOMPARE(EngineThreads::instance().setting(), 0);
        }
    }

    void screenshotWindowLeavesTheSettingAlone() {
        QSettings().setValue(EngineThreads::kKey, 2);
        EngineThreads::instance().set(0);
        {
            MainWindow window(nullptr, false);
            QCOMPARE(parallel::configured_threads(), kAutomatic);
            window.setEngineThreads(1); // applies, but is not remembered
            QCOMPARE(parallel::configured_threads(), 1);
        }
        QCOMPARE(QSettings().value(EngineThreads::kKey).toInt(), 2);
        EngineThreads::instance().set(0);
        QSettings().remove(EngineThreads::kKey);
    }

    // Automatic while the window trains: the setting less one for the GUI thread.
    void trainingRunsOnTheCappedCount_data() {
        QTest::addColumn<int>("setting");
        QTest::addColumn<int>("expected");
        QTest::newRow("automatic") << 0 << kAutomatic - 1;
        QTest::newRow("2") << 2 << 2;
        QTest::newRow("1") << 1 << 1;
    }

    void trainingRunsOnTheCappedCount() {
        QFETCH(int, setting);
        QFETCH(int, expected);
        EngineThreads::instance().set(setting);
        TrainSession session;
        QSignalSpy started(&session, &TrainSession::started);
        session.start(smallRun());
        QVERIFY(started.wait(30000));
        QCOMPARE(session.run()->engine_threads, used(expected));
        session.shutdown();
        EngineThreads::instance().set(0);
    }

    void aChangeReachesTheRunUnderWay() {
        EngineThreads::instance().set(0);
        TrainSession session;
        session.setObserveEveryStep(true);
        QSignalSpy started(&session, &TrainSession::started);
        session.start(smallRun());
        QVERIFY(started.wait(30000));
        QCOMPARE(session.run()->engine_threads, used(kAutomatic - 1));
        EngineThreads::instance().set(2);
        session.command(RunCommand::StepBatch);
        QTRY_VERIFY_WITH_TIMEOUT(session.latest() && session.latest()->step == 1, 30000);
        QCOMPARE(session.latest()->engine_threads, used(2));
        session.shutdown();
        EngineThreads::instance().set(0);
    }
};

QTEST_MAIN(TestEngineThreads)
#include "tst_engine_threads.moc"
