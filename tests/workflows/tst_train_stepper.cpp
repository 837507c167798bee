// workflows::Stepper, the run / pause / step state machine, driven by a simulated worker: every
// command in every state (a table), then the breakpoints' pauses and the final states.

#include "workflows/train_stepper.h"

#include <QtTest>

using namespace nnscope::workflows;

namespace {

// The worker of train_job without threads: `steps` batches of `events` hook events each, asking
// the stepper before each batch, at each event and after each batch, as the real worker does.
struct Worker {
    Stepper stepper;
    int steps = 3, events = 3;
    int step = 0, next_event = 0;
    bool in_step = false;
    int break_before_step = -1;         // a Step breakpoint
    int break_step = -1, break_at = -1; // an event breakpoint: step, event

    // Runs until the worker has to wait, the run ends, or `budget` actions (a batch started, an
    // event fired, a batch ended) are done: the command then arrives in the middle of the run.
    void advance(int budget = 1000) {
        for (; budget > 0; --budget) {
            if (stepper.final()) return;
            if (!in_step) {
                if (step == steps) {
                    stepper.finished();
                    return;
                }
                if (!stepper.may_start_batch(step == break_before_step)) return;
                in_step = true;
                next_event = 0;
            } else if (!stepper.may_leave_pause()) { // waiting at an event
                return;
            } else if (next_event < events) {
                const int e = next_event++;
                if (stepper.pause_at_event(step == break_step && e == break_at)) return;
            } else {
                in_step = false;
                ++step;
                if (!stepper.after_batch(false)) return;
            }
        }
    }

    // "|2": between batches, before step 2; "1.0": inside step 1, at (or just past) its event 0.
    QString where() const {
        if (!in_step) return QStringLiteral("|%1").arg(step);
        return next_event == 0 ? QStringLiteral("%1.-").arg(step)
                               : QStringLiteral("%1.%2").arg(step).arg(next_event - 1);
    }
    QString state() const { return QString::fromLatin1(run_state_name(stepper.state())); }
};

// The worker brought into a state by commands and progress.
Worker workerIn(const QString& name) {
    Worker w;
    if (name == QLatin1String("running")) { // running freely, inside step 1 at event 0
        w.stepper.command(RunCommand::Run);
        w.advance(7);
    } else if (name == QLatin1String("running-to-batch")) { // a StepBatch under way, at 0.0
        w.stepper.command(RunCommand::StepBatch);
        w.advance(2);
    } else if (name == QLatin1String("paused")) {
        w.stepper.command(RunCommand::StepBatch);
        w.advance();
    } else if (name == QLatin1String("paused-at-event")) {
        w.stepper.command(RunCommand::StepEvent);
        w.advance();
    } else if (name == QLatin1String("paused-at-last-event")) {
        for (int i = 0; i < 3; ++i) {
            w.stepper.command(RunCommand::StepEvent);
            w.advance();
        }
    } else if (name == QLatin1String("finished")) {
        w.stepper.command(RunCommand::Run);
        w.advance();
    } else if (name == QLatin1String("stopped")) {
        w.stepper.command(RunCommand::Stop);
    } else if (name == QLatin1String("failed")) {
        w.stepper.command(RunCommand::Run);
        w.advance(2);
        w.stepper.failed();
    }
    return w;
}

RunCommand commandNamed(const QString& name) {
    for (RunCommand c : {RunCommand::Run, RunCommand::Pause, RunCommand::StepBatch,
                         RunCommand::StepEvent, RunCommand::Stop})
        if (name == QLatin1String(run_command_name(c))) return c;
    qFatal("unknown command");
}

} // namespace

class TestTrainStepper : public QObject {
    Q_OBJECT

private slots:
    // Each setup's own state and place, so the table below starts where it says.
    void setups_data() {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("where");
        QTest::newRow("ready") << "ready"
                               << "ready"
                               << "|0";
        QTest::newRow("running") << "running"
                                 << "running"
                                 << "1.0";
        QTest::newRow("running-to-batch") << "running-to-batch"
                                          << "running"
                                          << "0.0";
        QTest::newRow("paused") << "paused"
                                << "paused"
                                << "|1";
        QTest::newRow("paused-at-event") << "paused-at-event"
                                         << "paused-at-event"
                                         << "0.0";
        QTest::newRow("paused-at-last-event") << "paused-at-last-event"
                                              << "paused-at-event"
                                              << "0.2";
        QTest::newRow("finished") << "finished"
                                  << "finished"
                                  << "|3";
        QTest::newRow("stopped") << "stopped"
                                 << "stopped"
                                 << "|0";
        QTest::newRow("failed") << "failed"
                                << "failed"
                                << "0.0";
    }
    void setups() {
        QFETCH(QString, setup);
        QFETCH(QString, state);
        QFETCH(QString, where);
        const Worker w = workerIn(setup);
        QCOMPARE(w.state(), state);
        QCOMPARE(w.where(), where);
    }

    // Every command in every state: accepted or ignored, the state right after it, and where
    // the worker then waits (or the run ends) when left to go on.
    void commands_data() {
        QTest::addColumn<QString>("setup");
        QTest::addColumn<QString>("command");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("state");      // right after the command
        QTest::addColumn<QString>("finalState"); // after the worker went on
        QTest::addColumn<QString>("where");
        const auto row = [](const char* setup, const char* command, bool accepted,
                            const char* state, const char* finalState, const char* where) {
            QTest::addRow("%s %s", setup, command)
                << QString::fromLatin1(setup) << QString::fromLatin1(command) << accepted
                << QString::fromLatin1(state) << QString::fromLatin1(finalState)
                << QString::fromLatin1(where);
        };
        row("ready", "run", true, "running", "finished", "|3");
        row("ready", "pause", false, "ready", "ready", "|0");
        row("ready", "step-batch", true, "running", "paused", "|1");
        row("ready", "step-event", true, "running", "paused-at-event", "0.0");
        row("ready", "stop", true, "stopped", "stopped", "|0");

        row("running", "run", false, "running", "finished", "|3");
        // Pause while running: at the next hook event of the step under way.
        row("running", "pause", true, "running", "paused-at-event", "1.1");
        row("running", "step-batch", true, "running", "paused", "|2");
        row("running", "step-event", true, "running", "paused-at-event", "1.1");
        row("running", "stop", true, "stopped", "stopped", "1.0");

        row("running-to-batch", "run", true, "running", "finished", "|3");
        row("running-to-batch", "pause", true, "running", "paused-at-event", "0.1");
        row("running-to-batch", "step-batch", false, "running", "paused", "|1");
        row("running-to-batch", "step-event", true, "running", "paused-at-event", "0.1");
        row("running-to-batch", "stop", true, "stopped", "stopped", "0.0");

        row("paused", "run", true, "running", "finished", "|3");
        row("paused", "pause", false, "paused", "paused", "|1");
        row("paused", "step-batch", true, "running", "paused", "|2");
        row("paused", "step-event", true, "running", "paused-at-event", "1.0");
        row("paused", "stop", true, "stopped", "stopped", "|1");

        row("paused-at-event", "run", true, "running", "finished", "|3");
        row("paused-at-event", "pause", false, "paused-at-event", "paused-at-event", "0.0");
        // StepBatch inside a step: the step under way is finished, then a pause between batches.
        row("paused-at-event", "step-batch", true, "running", "paused", "|1");
        row("paused-at-event", "step-event", true, "running", "paused-at-event", "0.1");
        row("paused-at-event", "stop", true, "stopped", "stopped", "0.0");

        row("paused-at-last-event", "run", true, "running", "finished", "|3");
        row("paused-at-last-event", "pause", false, "paused-at-event", "paused-at-event", "0.2");
        row("paused-at-last-event", "step-batch", true, "running", "paused", "|1");
        // No event left in the step: the step ends and the worker pauses between batches.
        row("paused-at-last-event", "step-event", true, "running", "paused", "|1");
        row("paused-at-last-event", "stop", true, "stopped", "stopped", "0.2");

        for (const char* command : {"run", "pause", "step-batch", "step-event", "stop"}) {
            row("finished", command, false, "finished", "finished", "|3");
            row("stopped", command, false, "stopped", "stopped", "|0");
            row("failed", command, false, "failed", "failed", "0.0");
        }
    }
    void commands() {
        QFETCH(QString, setup);
        QFETCH(QString, command);
        QFETCH(bool, accepted);
        QFETCH(QString, state);
        QFETCH(QString, finalState);
        QFETCH(QString, where);
        Worker w = workerIn(setup);
        QCOMPARE(w.stepper.command(commandNamed(command)), accepted);
        QCOMPARE(w.state(), state);
        w.advance();
        QCOMPARE(w.state(), finalState);
        QCOMPARE(w.where(), where);
    }

    // Without hook events (a probe that makes none), Pause and StepEvent pause between batches.
    void withoutEvents() {
        Worker w;
        w.events = 0;
        QVERIFY(w.stepper.command(RunCommand::StepEvent));
        w.advance();
        QCOMPARE(w.state(), QStringLiteral("paused"));
        QCOMPARE(w.where(), QStringLiteral("|1"));
        QVERIFY(w.stepper.command(RunCommand::Run));
        w.advance(2); // step 1 started and ended
        QCOMPARE(w.where(), QStringLiteral("|2"));
        QVERIFY(w.stepper.command(RunCommand::Pause));
        w.advance();
        QCOMPARE(w.state(), QStringLiteral("paused"));
        QCOMPARE(w.where(), QStringLiteral("|3"));
    }

    // A breakpoint at an event pauses there whatever the goal, and Run goes on past it.
    void eventBreakpoint() {
        Worker w;
        w.break_step = 1;
        w.break_at = 2;
        QVERIFY(w.stepper.command(RunCommand::Run));
        w.advance();
        QCOMPARE(w.state(), QStringLiteral("paused-at-event"));
        QCOMPARE(w.where(), QStringLiteral("1.2"));
        QVERIFY(w.stepper.command(RunCommand::Run));
        w.advance();
        QCOMPARE(w.state(), QStringLiteral("finished"));

        Worker stepping; // stepping batches does not skip it either
        stepping.break_step = 0;
        stepping.break_at = 1;
        QVERIFY(stepping.stepper.command(RunCommand::StepBatch));
        stepping.advance();
        QCOMPARE(stepping.where(), QStringLiteral("0.1"));
        QCOMPARE(stepping.state(), QStringLiteral("paused-at-event"));
    }

    // A Step breakpoint pauses before its batch once; Run then trains that batch.
    void batchBreakpoint() {
        Worker w;
        w.break_before_step = 2;
        QVERIFY(w.stepper.command(RunCommand::Run));
        w.advance();
        QCOMPARE(w.state(), QStringLiteral("paused"));
        QCOMPARE(w.where(), QStringLiteral("|2"));
        QVERIFY(w.stepper.command(RunCommand::Run));
        w.advance();
        QCOMPARE(w.state(), QStringLiteral("finished"));
        QCOMPARE(w.where(), QStringLiteral("|3"));

        Stepper s; // a hit after a step pauses between batches
        s.command(RunCommand::Run);
        QVERIFY(s.may_start_batch());
        QVERIFY(!s.after_batch(true));
        QCOMPARE(s.state(), RunState::Paused);
    }

    // The worker's questions in states where it does not ask them change nothing.
    void workerQuestionsOutsideRunning() {
        Stepper s;
        QVERIFY(!s.may_start_batch());
        QVERIFY(!s.pause_at_event(true));
        QVERIFY(!s.after_batch(true));
        QCOMPARE(s.state(), RunState::Ready);
        QVERIFY(!s.may_leave_pause());
        s.command(RunCommand::StepEvent);
        QVERIFY(s.may_leave_pause());
        QVERIFY(s.may_start_batch());
        QVERIFY(s.pause_at_event(false));
        QVERIFY(!s.may_leave_pause());
        QVERIFY(!s.may_start_batch()); // paused inside a step
        s.command(RunCommand::Stop);
        QVERIFY(s.may_leave_pause()); // the waiting worker wakes to abandon the step
        QVERIFY(s.final());
    }

    // Finished and Failed do not override a final state; failed() ends a paused run.
    void finalStates() {
        Stepper stopped;
        stopped.command(RunCommand::Stop);
        stopped.finished();
        stopped.failed();
        QCOMPARE(stopped.state(), RunState::Stopped);

        Stepper paused;
        paused.command(RunCommand::StepEvent);
        QVERIFY(paused.may_start_batch());
        QVERIFY(paused.pause_at_event(false));
        paused.failed();
        QCOMPARE(paused.state(), RunState::Failed);
        QVERIFY(paused.final());
        paused.finished();
        QCOMPARE(paused.state(), RunState::Failed);
    }

    void names() {
        QCOMPARE(run_state_name(RunState::PausedAtEvent), "paused-at-event");
        QCOMPARE(run_state_name(RunState::Failed), "failed");
        QCOMPARE(run_command_name(RunCommand::StepBatch), "step-batch");
        QCOMPARE(run_command_name(RunCommand::StepEvent), "step-event");
    }
};

QTEST_GUILESS_MAIN(TestTrainStepper)
#include "tst_train_stepper.moc"
