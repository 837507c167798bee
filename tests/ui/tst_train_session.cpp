// TrainSession, the training workspace's hub, against a real TrainJob on its worker: a run starts
// paused, steps a batch and appends the step to the history, re-emits what the worker sends,
// applies a learning rate from the next step, keeps breakpoints and hooks across runs, reports a
// configuration the run refuses, and shuts down at once even while paused inside backward.
// Fashion-MNIST (Debian's package) is the data; without it the tests that train skip.

#include "train_test_support.h"
#include "ui/train/train_session.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSignalSpy>
#include <QtTest>

using namespace nnscope;
using ui::TrainSession;
using workflows::RunCommand;
using workflows::RunState;

namespace {

workflows::TrainingConfig smallRun() {
    return test::smallFashionRun(3);
}

} // namespace

class TestTrainSession : public QObject {
    Q_OBJECT
private slots:
    void startsPausedAndStepsABatch();
    void learningRateAppliesFromTheNextStep();
    void keepsBreakpointsAndHooksAcrossRuns();
    void refusedConfigurationNamesTheField();
    void shutdownWhilePausedInBackwardIsPrompt();
    void brushAndSelection();
};

void TestTrainSession::startsPausedAndStepsABatch() {
    REQUIRE_FASHION_MNIST();
    TrainSession session;
    session.setObserveEveryStep(true);
    QSignalSpy started(&session, &TrainSession::started);
    QSignalSpy paused(&session, &TrainSession::paused);
    QSignalSpy progressed(&session, &TrainSession::progressed);
    connect(&session, &TrainSession::failed, this, [](const session::TrainFailed& f) {
        qWarning("run failed: %s: %s", f.field.c_str(), f.message.c_str());
    });
    session.start(smallRun());
    QCOMPARE(session.state(), RunState::Ready);
    QVERIFY(started.wait(30000));
    QVERIFY(session.run());
    QCOMPARE(session.run()->batches_per_epoch, 8);
    QCOMPARE(session.run()->classes, 10);
    QVERIFY(!session.run()->modules.empty());
    QVERIFY(session.isActive());
    QCOMPARE(session.history().losses().size(), 0u);

    session.command(RunCommand::StepBatch);
    QTRY_VERIFY_WITH_TIMEOUT(!paused.isEmpty(), 30000);
    QCOMPARE(session.state(), RunState::Paused);
    QVERIFY(session.pausedAt());
    QVERIFY(!progressed.isEmpty());
    QCOMPARE(session.history().losses().size(), 1u);
    const workflows::LossPoint& first = session.history().losses().front();
    QCOMPARE(first.step, 0);
    // The mlp's first loss on ten classes is near ln(10).
    QVERIFY2(std::abs(first.loss - std::log(10.0)) < 0.3, qPrintable(QString::number(first.loss)));
    QVERIFY(session.latest());
    QCOMPARE(session.latest()->step, 1);

    session.command(RunCommand::StepBatch);
    QTRY_COMPARE_WITH_TIMEOUT(session.history().losses().size(), 2u, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Paused, 30000);

    QSignalSpy finished(&session, &TrainSession::finished);
    session.command(RunCommand::Stop);
    QVERIFY(finished.wait(10000));
    QCOMPARE(session.state(), RunState::Stopped);
    QVERIFY(!session.isActive());
}

void TestTrainSession::learningRateAppliesFromTheNextStep() {
    REQUIRE_FASHION_MNIST();
    TrainSession session;
    session.setObserveEveryStep(true);
    QSignalSpy started(&session, &TrainSession::started);
    session.start(smallRun());
    QVERIFY(started.wait(30000));
    QCOMPARE(session.run()->lr, 0.1);
    session.command(RunCommand::StepBatch);
    QTRY_COMPARE_WITH_TIMEOUT(session.history().losses().size(), 1u, 30000);
    QTRY_COMPARE_WITH_TIMEOUT(session.state(), RunState::Paused, 30000);
    session.setLearningRate(0.025);
    session.command(RunCommand::StepBatch);
    QTRY_COMPARE_WITH_TIMEOUT(session.history().losses().size(), 2u, 30000);
    QCOMPARE(session.history().losses()[0].lr, 0.1);
    QCOMPARE(session.history().losses()[1].lr, 0.025);
}

void TestTrainSession::keepsBreakpointsAndHooksAcrossRuns() {
    REQUIRE_FASHION_MNIST();
    TrainSession session;
    QSignalSpy breakpoints(&session, &TrainSession::breakpointsChanged);
    QSignalSpy hooks(&session, &TrainSession::interventionsChanged);
    session.addBreakpoint(workflows::parse_breakpoint("nonfinite"));
    QCOMPARE(breakpoints.size(), 1);
    workflows::HookIntervention scale;
    scale.module = "1";
    scale.value = 0.5;
    const auto a = session.addIntervention(scale);
    const auto b = session.addIntervention(scale);
    QVERIFY(a != 0 && b != a);
    QCOMPARE(hooks.size(), 2);
    session.removeIntervention(a);
    session.removeIntervention(a); // gone already: nothing changes
    QCOMPARE(hooks.size(), 3);
    QCOMPARE(session.interventions().size(), 1u);
    QCOMPARE(session.interventions()[0].id, b);
    QSignalSpy started(&session, &TrainSession::started);
    session.start(smallRun());
    QVERIFY(started.wait(30000));
    session.start(smallRun()); // Reset
    QVERIFY(started.wait(30000));
    QCOMPARE(session.breakpoints().size(), 1u);
    QCOMPARE(session.interventions().size(), 1u);
    QCOMPARE(session.history().losses().size(), 0u);
}

void TestTrainSession::refusedConfigurationNamesTheField() {
    REQUIRE_FASHION_MNIST();
    TrainSession session;
    QSignalSpy failed(&session, &TrainSession::failed);
    auto c = smallRun();
    c.model = "no-such-model";
    session.start(c);
    QVERIFY(failed.wait(30000));
    const auto f = failed.front().front().value<session::TrainFailed>();
    QCOMPARE(f.field, std::string("model"));
    QVERIFY2(f.message.find("no-such-model") != std::string::npos, f.message.c_str());
    QCOMPARE(session.state(), RunState::Failed);
    QVERIFY(!session.isActive());
}

void TestTrainSession::shutdownWhilePausedInBackwardIsPrompt() {
    REQUIRE_FASHION_MNIST();
    TrainSession session;
    QSignalSpy started(&session, &TrainSession::started);
    session.start(smallRun());
    QVERIFY(started.wait(30000));
    // Step hook events until the run waits inside backward.
    bool in_backward = false;
    for (int i = 0; i < 40 && !in_backward; ++i) {
        QSignalSpy paused(&session, &TrainSession::paused);
        session.command(RunCommand::StepEvent);
        QVERIFY(paused.wait(30000));
        const auto& at = session.pausedAt();
        in_backward = at && at->event && workflows::is_backward(at->event->kind);
    }
    QVERIFY(in_backward);
    QCOMPARE(session.state(), RunState::PausedAtEvent);
    QElapsedTimer timer;
    timer.start();
    session.shutdown();
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
}

void TestTrainSession::brushAndSelection() {
    TrainSession session;
    QSignalSpy range(&session, &TrainSession::stepRangeChanged);
    QSignalSpy module(&session, &TrainSession::moduleSelected);
    session.setStepRange(std::pair<std::int64_t, std::int64_t>{9, 3});
    QCOMPARE(range.size(), 1);
    QCOMPARE(session.stepRange()->first, 3);
    QCOMPARE(session.stepRange()->second, 9);
    session.setStepRange(std::pair<std::int64_t, std::int64_t>{3, 9}); // the same: no signal
    QCOMPARE(range.size(), 1);
    session.setStepRange(std::nullopt);
    QCOMPARE(range.size(), 2);
    session.selectModule(QStringLiteral("1"));
    session.selectModule(QStringLiteral("1"));
    QCOMPARE(module.size(), 1);
    QCOMPARE(session.selectedModule(), QStringLiteral("1"));
}

QTEST_MAIN(TestTrainSession)
#include "tst_train_session.moc"
