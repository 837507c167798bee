// TrainControl on its own (commands in order and bounded, settings newest-wins, shut_down for
// good, a waiting worker woken at once), then every command in every state of a real TrainJob
// on its JobController: Ready, Running, Paused (between batches), PausedAtEvent (inside a step)
// and Stopped, each with Run, Pause, StepBatch, StepEvent and Stop; a new request (Reset) and a
// learning rate changed while running.

#include "train_fixture.h"

#include <QtTest>
#include <chrono>
#include <thread>

using namespace nnscope;
using session::TrainControl;
using workflows::RunCommand;
using workflows::RunState;

Q_DECLARE_METATYPE(nnscope::workflows::RunState)
Q_DECLARE_METATYPE(nnscope::workflows::RunCommand)

namespace {

enum class Outcome {
    Nothing,       // no pause, no end, no step trained
    Runs,          // steps go on being trained
    PausesBetween, // TrainPaused{Paused} after one more step
    PausesInStep,  // TrainPaused{PausedAtEvent} at the next event
    Pauses,        // either kind of pause (Pause while running)
    Stops,         // TrainFinished{Stopped}
};

constexpr int kQuietMs = 250; // how long "nothing happens" is watched

} // namespace

Q_DECLARE_METATYPE(Outcome)

class TestTrainControl : public QObject {
    Q_OBJECT

    test::TrainData data_;

    // Brings a fresh run into `state`. Long enough (500 epochs of 16 steps) that a Run cannot
    // finish it before the checks look, however idle the machine.
    void reach(test::Trainer& t, RunState state) {
        session::TrainRequest r = data_.mlp(500);
        if (state == RunState::Running) r.initial = RunCommand::Run;
        t.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(t.started.size(), std::size_t{1}, 20000);
        switch (state) {
        case RunState::Running:
            QTRY_VERIFY_WITH_TIMEOUT(t.steps() > 0, 20000);
            break;
        case RunState::Paused:
            t.command(RunCommand::StepBatch);
            QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{1}, 20000);
            QCOMPARE(t.paused.back().state, RunState::Paused);
            break;
        case RunState::PausedAtEvent:
            t.command(RunCommand::StepBatch); // step 0 trained, then into step 1
            QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{1}, 20000);
            t.command(RunCommand::StepEvent);
            QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{2}, 20000);
            QCOMPARE(t.paused.back().state, RunState::PausedAtEvent);
            QVERIFY(t.paused.back().event.has_value());
            break;
        case RunState::Stopped:
            t.command(RunCommand::Stop);
            QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 20000);
            break;
        default:
            break;
        }
    }

private slots:
    void commandsKeepTheirOrderAndSettingsTheNewest() {
        TrainControl c;
        c.command(RunCommand::StepEvent);
        c.set_learning_rate(0.5);
        c.command(RunCommand::Run);
        c.set_learning_rate(0.25);
        c.request_checkpoint({"/tmp/a.safetensors", session::CheckpointFormat::Native});
        c.request_checkpoint({"/tmp/b.pt", session::CheckpointFormat::Pytorch});
        c.set_breakpoints({workflows::Breakpoint{}});
        TrainControl::Pending p = c.take();
        QCOMPARE(p.commands, (std::vector<RunCommand>{RunCommand::StepEvent, RunCommand::Run}));
        QCOMPARE(*p.lr, 0.25);
        QCOMPARE(p.checkpoint->path, std::string("/tmp/b.pt"));
        QCOMPARE(p.breakpoints->size(), std::size_t{1});
        QVERIFY(!p.interventions && !p.tensors && !p.shut_down);
        // Taken: nothing is left.
        p = c.take();
        QVERIFY(p.commands.empty() && !p.lr && !p.checkpoint && !p.breakpoints);
    }

    void aBurstOfCommandsIsBounded() {
        TrainControl c;
        for (int i = 0; i < 1000; ++i)
            c.command(i % 2 ? RunCommand::Run : RunCommand::Pause);
        const TrainControl::Pending p = c.take();
        QCOMPARE(p.commands.size(), std::size_t{16});
        QCOMPARE(p.commands.back(), RunCommand::Run); // the newest are kept
    }

    void shutDownIsForGood() {
        TrainControl c;
        c.shut_down();
        QVERIFY(c.take().shut_down);
        QVERIFY(c.take().shut_down);
        QElapsedTimer timer;
        timer.start();
        c.wait(5000); // returns at once, every time
        QVERIFY(timer.elapsed() < 1000);
    }

    void aWaitingWorkerWakesWhenSomethingArrives() {
        TrainControl c;
        QElapsedTimer timer;
        timer.start();
        std::thread gui([&c] {
            std::this_thread::sleep_for(std::chrono::milliseconds(30));
            c.command(RunCommand::Run);
        });
        c.wait(5000);
        const qint64 waited = timer.elapsed();
        gui.join();
        QVERIFY2(waited >= 20 && waited < 1000, qPrintable(QString::number(waited)));
        QCOMPARE(c.take().commands, std::vector<RunCommand>{RunCommand::Run});
        // Nothing pending: the wait lasts its timeout.
        timer.restart();
        c.wait(60);
        QVERIFY(timer.elapsed() >= 50);
    }

    void everyCommandInEveryState_data() {
        QTest::addColumn<RunState>("state");
        QTest::addColumn<RunCommand>("command");
        QTest::addColumn<Outcome>("outcome");
        const struct {
            RunState state;
            const char* name;
            Outcome run, pause, step_batch, step_event, stop;
        } table[] = {
            {RunState::Ready, "ready", Outcome::Runs, Outcome::Nothing, Outcome::PausesBetween,
             Outcome::PausesInStep, Outcome::Stops},
            {RunState::Running, "running", Outcome::Runs, Outcome::Pauses, Outcome::PausesBetween,
             Outcome::PausesInStep, Outcome::Stops},
            {RunState::Paused, "paused", Outcome::Runs, Outcome::Nothing, Outcome::PausesBetween,
             Outcome::PausesInStep, Outcome::Stops},
            {RunState::PausedAtEvent, "paused-at-event", Outcome::Runs, Outcome::Nothing,
             Outcome::PausesBetween, Outcome::PausesInStep, Outcome::Stops},
            {RunState::Stopped, "stopped", Outcome::Nothing, Outcome::Nothing, Outcome::Nothing,
             Outcome::Nothing, Outcome::Nothing},
        };
        for (const auto& row : table) {
            const std::pair<RunCommand, Outcome> cells[] = {{RunCommand::Run, row.run},
                                                            {RunCommand::Pause, row.pause},
                                                            {RunCommand::StepBatch, row.step_batch},
                                                            {RunCommand::StepEvent, row.step_event},
                                                            {RunCommand::Stop, row.stop}};
            for (const auto& [command, outcome] : cells)
                QTest::addRow("%s %s", row.name, workflows::run_command_name(command))
                    << row.state << command << outcome;
        }
    }

    void everyCommandInEveryState() {
        QFETCH(RunState, state);
        QFETCH(RunCommand, command);
        QFETCH(Outcome, outcome);
        QVERIFY(data_.valid());
        test::Trainer t;
        reach(t, state);
        if (QTest::currentTestFailed()) return;
        const std::size_t paused = t.paused.size(), finished = t.finished.size();
        const std::int64_t steps = t.steps();
        const std::optional<workflows::HookEvent> at =
            t.paused.empty() ? std::nullopt : t.paused.back().event;
        t.command(command);
        switch (outcome) {
        case Outcome::Nothing: {
            QTest::qWait(kQuietMs);
            QCOMPARE(t.paused.size(), paused);
            QCOMPARE(t.finished.size(), finished);
            QCOMPARE(t.steps(), steps);
            break;
        }
        case Outcome::Runs:
            QTRY_VERIFY_WITH_TIMEOUT(t.steps() >= steps + 3, 20000);
            QCOMPARE(t.finished.size(), finished);
            break;
        case Outcome::PausesBetween:
            QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), paused + 1, 20000);
            QCOMPARE(t.paused.back().state, RunState::Paused);
            QVERIFY(!t.paused.back().event);
            if (state != RunState::Running)
                QCOMPARE(t.paused.back().step, steps + 1); // the step under way, or the next
            QTest::qWait(100);
            QCOMPARE(t.steps(), t.paused.back().step); // and no further
            break;
        case Outcome::PausesInStep: {
            QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), paused + 1, 20000);
            const session::TrainPaused& p = t.paused.back();
            QCOMPARE(p.state, RunState::PausedAtEvent);
            QVERIFY(p.event.has_value());
            QCOMPARE(p.event->step, p.step);
            QVERIFY(!p.timeline.empty());
            QCOMPARE(p.timeline.back().seq, p.event->seq);
            if (state == RunState::PausedAtEvent) {
                QCOMPARE(p.event->step, at->step); // the next event of the same step
                QCOMPARE(p.event->seq, at->seq + 1);
            } else if (state != RunState::Running) {
                QCOMPARE(p.event->step, steps); // the first event of the next step
                QCOMPARE(p.event->seq, std::int64_t{0});
            }
            break;
        }
        case Outcome::Pauses:
            QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), paused + 1, 20000);
            QVERIFY(t.paused.back().state == RunState::Paused ||
                    t.paused.back().state == RunState::PausedAtEvent);
            break;
        case Outcome::Stops:
            QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), finished + 1, 20000);
            QCOMPARE(t.finished.back().state, RunState::Stopped);
            if (state != RunState::Running) QCOMPARE(t.finished.back().steps, steps);
            QTest::qWait(100);
            QCOMPARE(t.order.back(), std::string("finished")); // nothing after the end
            break;
        }
        if (t.finished.empty()) { // still going: end it
            t.command(RunCommand::Stop);
            QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 20000);
        }
    }

    void aNewRequestResetsTheRun() {
        test::Trainer t;
        reach(t, RunState::PausedAtEvent);
        const quint64 second = t.start(data_.mlp());
        QTRY_COMPARE_WITH_TIMEOUT(t.started.size(), std::size_t{2}, 20000);
        QCOMPARE(t.jobs.current<session::TrainJob>(), second);
        // The old run ended without a word; the new one waits in Ready at step 0.
        QVERIFY(t.finished.empty());
        t.command(RunCommand::StepBatch);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{3}, 20000);
        QCOMPARE(t.paused.back().step, std::int64_t{1});
    }

    void theLearningRateChangesWhileRunning() {
        test::Trainer t;
        reach(t, RunState::Running);
        QCOMPARE(t.started[0].lr, 0.05);
        t.control->set_learning_rate(0.0125);
        QTRY_VERIFY_WITH_TIMEOUT(t.progress.back()->lr == 0.0125, 20000);
        const std::int64_t from = t.steps();
        QTRY_VERIFY_WITH_TIMEOUT(t.steps() > from + 2, 20000);
        const auto records = t.records();
        QCOMPARE(records.front().lr, 0.05);
        QCOMPARE(records.back().lr, 0.0125);
        // A rate the optimizer refuses is not taken.
        t.control->set_learning_rate(-1);
        QTest::qWait(150);
        QCOMPARE(t.progress.back()->lr, 0.0125);
        t.command(RunCommand::Stop);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 20000);
    }
};

QTEST_GUILESS_MAIN(TestTrainControl)
#include "tst_train_control.moc"
