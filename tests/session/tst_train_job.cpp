// TrainJob through a JobController: a whole run gives the same losses as a plain TrainingRun,
// streams every step's loss, its evaluations and batch previews; the progress stream is
// coalesced at full speed; a paused run does not spin; a pause inside backward serves tensors
// and checkpoints (native, and a .pt that PyTorch loads) and ends promptly on Stop, a cancel or
// the controller's stop(); breakpoints pause with their hit; a bad configuration fails naming
// its field; a diverging run fails with the loss's message.

#include "io/native_model.h"
#include "train_fixture.h"
#include "workflows/training_run.h"

#include <QProcess>
#include <QtTest>
#include <cmath>
#include <numeric>
#include <sys/resource.h>

using namespace nnscope;
using workflows::HookKind;
using workflows::RunCommand;
using workflows::RunState;

namespace {

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

// Steps event by event until the run waits at an event `accept` takes (at most 200 events).
template <class Accept> bool stepToEvent(test::Trainer& t, Accept accept) {
    for (int i = 0; i < 200; ++i) {
        const std::size_t before = t.paused.size();
        t.command(RunCommand::StepEvent);
        if (!QTest::qWaitFor([&] { return t.paused.size() > before; }, 20000)) return false;
        const session::TrainPaused& p = t.paused.back();
        if (p.event && accept(*p.event)) return true;
    }
    return false;
}

bool isBackward(const workflows::HookEvent& e) {
    return e.kind == HookKind::Backward;
}

} // namespace

class TestTrainJob : public QObject {
    Q_OBJECT

    test::TrainData data_;

    // A run that waits inside backward (the full backward hook of a module) in step 1.
    void pauseInsideBackward(test::Trainer& t) {
        t.start(data_.mlp(50));
        QTRY_COMPARE_WITH_TIMEOUT(t.started.size(), std::size_t{1}, 20000);
        t.command(RunCommand::StepBatch);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{1}, 20000);
        QVERIFY(stepToEvent(t, isBackward));
        QCOMPARE(t.paused.back().step, std::int64_t{1});
    }

private slots:
    void initTestCase() { QVERIFY(data_.valid()); }

    void aWholeRunMatchesAPlainTrainingRun() {
        session::TrainRequest r = data_.mlp(2);
        r.initial = RunCommand::Run;
        r.observe_every_step = true;
        test::Trainer t;
        t.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 60000);
        QCOMPARE(t.finished[0].state, RunState::Finished);
        QCOMPARE(t.finished[0].steps, std::int64_t{32});
        QCOMPARE(t.order.front(), std::string("started"));
        QCOMPARE(t.order.back(), std::string("finished"));

        const session::TrainStarted& s = t.started[0];
        QCOMPARE(s.batches_per_epoch, std::int64_t{16});
        QCOMPARE(s.epochs, std::int64_t{2});
        QCOMPARE(s.classes, std::int64_t{10});
        QCOMPARE(s.lr, 0.05);
        QVERIFY(s.images);
        QCOMPARE(s.params, (std::vector<std::string>{"1.weight", "1.bias", "3.weight", "3.bias",
                                                     "5.weight", "5.bias"}));
        QCOMPARE(s.modules.size(), std::size_t{7});
        QCOMPARE(s.modules[0].path, std::string());
        QCOMPARE(s.modules[0].type, std::string("Sequential"));
        QVERIFY(!s.modules[0].leaf);
        QCOMPARE(s.modules[2].path, std::string("1"));
        QCOMPARE(s.modules[2].depth, std::int64_t{1});
        QCOMPARE(s.modules[2].parameters, std::int64_t{784 * 512 + 512});

        // Every step's loss, once, in order, equal to a TrainingRun's without the job, which
        // evaluates after each epoch too (each evaluation's DataLoader draws its base seed from
        // the default generator, as PyTorch's does, so it changes the next epoch's shuffle).
        workflows::TrainingRun plain(r.config);
        std::vector<workflows::Evaluation> expected;
        plain.on_epoch = [&](const workflows::EpochResult&) {
            expected.push_back(plain.evaluate());
        };
        const auto records = t.records();
        QCOMPARE(records.size(), std::size_t{32});
        for (std::size_t i = 0; i < records.size(); ++i) {
            QCOMPARE(records[i].step, static_cast<std::int64_t>(i));
            QVERIFY(records[i].observed);
            QVERIFY2(records[i].loss == plain.step()->loss, qPrintable(QString::number(i)));
        }
        // The evaluations after each epoch, with their confusion matrices.
        std::vector<workflows::EvalRecord> evaluations;
        for (const auto& p : t.progress)
            evaluations.insert(evaluations.end(), p->evaluations.begin(), p->evaluations.end());
        QCOMPARE(evaluations.size(), std::size_t{2});
        QCOMPARE(expected.size(), std::size_t{2});
        for (std::size_t i = 0; i < 2; ++i) {
            const workflows::EvalRecord& e = evaluations[i];
            QCOMPARE(e.step, static_cast<std::int64_t>(16 * (i + 1)));
            QCOMPARE(e.samples, std::int64_t{96});
            QCOMPARE(e.accuracy, expected[i].accuracy);
            QCOMPARE(e.confusion, expected[i].confusion);
            QCOMPARE(e.confusion.size(), std::size_t{100});
            QCOMPARE(std::accumulate(e.confusion.begin(), e.confusion.end(), std::int64_t{0}),
                     e.samples);
        }
        // The latest observed batch: 16 images with labels and predictions.
        const auto last = std::find_if(t.progress.rbegin(), t.progress.rend(),
                                       [](const auto& p) { return p->batch.has_value(); });
        QVERIFY(last != t.progress.rend());
        const session::TrainBatchView& b = *(*last)->batch;
        QCOMPARE(b.channels * b.height * b.width, std::int64_t{784});
        QCOMPARE(b.pixels.size(), std::size_t{16 * 784});
        QCOMPARE(b.labels.size(), std::size_t{16});
        QCOMPARE(b.predicted.size(), std::size_t{16});
        QVERIFY(t.progress.back()->steps_per_second > 0);
        QVERIFY(t.progress.back()->train_seconds > 0);
    }

    void evaluationsEveryNStepsAndEachEpoch() {
        session::TrainRequest r = data_.mlp(2);
        r.initial = RunCommand::Run;
        r.config.eval_every = 10;
        test::Trainer t;
        t.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 60000);
        std::vector<std::int64_t> at;
        for (const auto& p : t.progress)
            for (const auto& e : p->evaluations)
                at.push_back(e.step);
        QCOMPARE(at, (std::vector<std::int64_t>{10, 16, 20, 30, 32}));
    }

    void theStreamIsCoalescedAtFullSpeed() {
#if defined(__SANITIZE_THREAD__)
        QSKIP("ThreadSanitizer runs training many times slower: the step rate means nothing");
#endif
        session::TrainRequest r = data_.mlp(1000);
        r.initial = RunCommand::Run;
        test::Trainer t;
        t.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(t.started.size(), std::size_t{1}, 20000);
        QElapsedTimer timer;
        timer.start();
        QTest::qWait(1500);
        t.command(RunCommand::Stop);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 20000);
        const double seconds = static_cast<double>(timer.elapsed()) / 1000;
        const auto records = t.records();
        const auto observed =
            std::count_if(records.begin(), records.end(), [](const auto& s) { return s.observed; });
        qInfo("%zu steps in %.2f s: %zu progress values, %td steps observed", records.size(),
              seconds, t.progress.size(), observed);
        QVERIFY(records.size() > 20);
        QCOMPARE(static_cast<std::int64_t>(records.size()), t.finished[0].steps);
        // At most one progress per 33 ms (and the last one), statistics at most ~30 a second.
        QVERIFY(static_cast<double>(t.progress.size()) <= seconds * 1000 / 33 + 4);
        QVERIFY(static_cast<double>(observed) <= seconds * 1000 / 33 + 4);
        QVERIFY(observed >= 1);
    }

    void aPausedRunDoesNotSpin() {
        test::Trainer t;
        pauseInsideBackward(t);
        double before = cpu_seconds();
        QTest::qWait(500);
        const double inside = cpu_seconds() - before;
        t.command(RunCommand::StepBatch);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.back().state, RunState::Paused, 20000);
        before = cpu_seconds();
        QTest::qWait(500);
        const double between = cpu_seconds() - before;
        qInfo("CPU over 0.5 s paused: %.3f s inside backward, %.3f s between batches", inside,
              between);
        QVERIFY(inside < 0.1);
        QVERIFY(between < 0.1);
    }

    void pausedInsideBackwardThenStopped() {
        test::Trainer t;
        pauseInsideBackward(t);
        const session::TrainPaused& p = t.paused.back();
        QVERIFY(p.event->kind == HookKind::Backward);
        // The timeline so far holds the forward events of the step before this one, shapes only.
        QVERIFY(p.timeline.size() > 3);
        QCOMPARE(p.timeline.front().seq, std::int64_t{0});
        QVERIFY(p.timeline.front().inputs.empty());
        QVERIFY(!p.timeline.front().input_shapes.empty());
        t.command(RunCommand::Stop);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 20000);
        QCOMPARE(t.finished[0].state, RunState::Stopped);
        QCOMPARE(t.finished[0].steps, std::int64_t{1}); // the paused step was abandoned
        QCOMPARE(t.records().size(), std::size_t{1});
    }

    void closingWhilePausedInsideBackwardIsPrompt() {
        for (const bool destructor : {false, true}) {
            auto t = std::make_unique<test::Trainer>();
            pauseInsideBackward(*t);
            QElapsedTimer timer;
            timer.start();
            if (destructor)
                t.reset();
            else
                t->jobs.stop();
            const qint64 ms = timer.elapsed();
            qInfo("%s while paused inside backward: %lld ms",
                  destructor ? "~JobController" : "stop()", static_cast<long long>(ms));
            QVERIFY2(ms < 200, qPrintable(QString::number(ms)));
        }
    }

    void aCancelEndsTheRunWithoutAWord() {
        test::Trainer t;
        pauseInsideBackward(t);
        const std::size_t results = t.order.size();
        t.jobs.cancel<session::TrainJob>();
        QTest::qWait(300);
        QCOMPARE(t.order.size(), results);
        // The worker is free: a new run starts at once.
        t.start(data_.mlp());
        QTRY_COMPARE_WITH_TIMEOUT(t.started.size(), std::size_t{2}, 20000);
        t.command(RunCommand::Run);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 20000);
        QCOMPARE(t.finished[0].state, RunState::Finished);
        QCOMPARE(t.finished[0].steps, std::int64_t{16});
    }

    void breakpointsPauseWithTheirHit() {
        test::Trainer t;
        t.control->set_breakpoints(
            {workflows::parse_breakpoint("step:5"), workflows::parse_breakpoint("backward:3")});
        session::TrainRequest r = data_.mlp(10);
        r.initial = RunCommand::Run;
        t.start(r);
        // backward:3 fires in step 0 already.
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{1}, 20000);
        const session::TrainPaused& first = t.paused.back();
        QCOMPARE(first.state, RunState::PausedAtEvent);
        QVERIFY(first.hit.has_value());
        QCOMPARE(first.hit->breakpoint, std::size_t{1});
        QCOMPARE(first.event->module, std::string("3"));
        QVERIFY(first.event->kind == HookKind::Backward);
        QCOMPARE(first.step, std::int64_t{0});
        // Without it, the run goes on to step 5's breakpoint, between batches.
        t.control->set_breakpoints({workflows::parse_breakpoint("step:5")});
        t.command(RunCommand::Run);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{2}, 20000);
        QCOMPARE(t.paused.back().state, RunState::Paused);
        QCOMPARE(t.paused.back().step, std::int64_t{5});
        QVERIFY(t.paused.back().hit.has_value());
        QCOMPARE(t.paused.back().hit->breakpoint, std::size_t{0});
        QCOMPARE(t.steps(), std::int64_t{5});
    }

    void itPausesByItselfAfterNSteps() {
        session::TrainRequest r = data_.mlp(5);
        r.initial = RunCommand::Run;
        r.pause_after_steps = 7;
        test::Trainer t;
        t.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{1}, 20000);
        QCOMPARE(t.paused[0].state, RunState::Paused);
        QCOMPARE(t.paused[0].step, std::int64_t{7});
        QCOMPARE(t.steps(), std::int64_t{7});
        QVERIFY(!t.paused[0].hit);
    }

    void interventionsApplyAtTheNextStep() {
        session::TrainRequest r = data_.mlp();
        r.observe_every_step = true;
        test::Trainer t;
        t.start(r);
        t.command(RunCommand::StepBatch);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{1}, 20000);
        // Zero grad_input of 3: nothing reaches 1's parameters; 3's own gradient is untouched.
        workflows::HookIntervention zero;
        zero.id = 1;
        zero.module = "3";
        zero.kind = workflows::HookIntervention::Kind::ZeroGrad;
        t.control->set_interventions({zero});
        t.command(RunCommand::StepBatch);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{2}, 20000);
        const auto records = t.records();
        QCOMPARE(records.size(), std::size_t{2});
        const auto norm = [](const workflows::StepRecord& s, const std::string& name) {
            for (const auto& p : s.params)
                if (p.name == name) return p.grad_norm;
            return -1.0;
        };
        QVERIFY(norm(records[0], "1.weight") > 0);
        QCOMPARE(norm(records[1], "1.weight"), 0.0);
        QVERIFY(norm(records[1], "3.weight") > 0);
        // Removed again: the gradient flows at the step after.
        t.control->set_interventions({});
        t.command(RunCommand::StepBatch);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.size(), std::size_t{3}, 20000);
        QVERIFY(norm(t.records().back(), "1.weight") > 0);
    }

    void theTensorsOfThePausedStep() {
        session::TrainRequest r = data_.mlp();
        r.config.model = "cnn";
        test::Trainer t;
        t.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(t.started.size(), std::size_t{1}, 20000);
        // Stepping: every event of the step keeps its tensors; the first conv's forward.
        QVERIFY(stepToEvent(t, [](const workflows::HookEvent& e) {
            return e.module == "0" && e.kind == HookKind::Forward;
        }));
        const workflows::HookEvent conv = *t.paused.back().event;
        t.control->request_tensors({0, conv.seq, 3});
        QTRY_COMPARE_WITH_TIMEOUT(t.tensors.size(), std::size_t{1}, 20000);
        const session::TrainTensors& a = *t.tensors.back();
        QVERIFY2(a.error.empty(), a.error.c_str());
        QCOMPARE(a.outputs.size(), std::size_t{1});
        QCOMPARE(a.outputs[0].shape, (std::vector<std::int64_t>{16, 16, 28, 28}));
        QCOMPARE(a.outputs[0].stats.numel, std::int64_t{16 * 16 * 28 * 28});
        QCOMPARE(a.inputs[0].shape, (std::vector<std::int64_t>{16, 1, 28, 28}));
        QVERIFY(a.feature_maps && a.feature_maps->kernels);
        QCOMPARE(a.feature_maps->kernels->out, std::int64_t{16});
        QCOMPARE(a.feature_maps->kernels->in, std::int64_t{1});
        QCOMPARE(a.feature_maps->kernels->kh, std::int64_t{28});
        // An earlier event of the step (captured while stepping) is there too.
        t.control->request_tensors({0, 0, 0});
        QTRY_COMPARE_WITH_TIMEOUT(t.tensors.size(), std::size_t{2}, 20000);
        QVERIFY2(t.tensors.back()->error.empty(), t.tensors.back()->error.c_str());
        QCOMPARE(t.tensors.back()->event.seq, std::int64_t{0});
        // A sample outside the batch, and a step that is over, say why.
        t.control->request_tensors({0, conv.seq, 99});
        QTRY_COMPARE_WITH_TIMEOUT(t.tensors.size(), std::size_t{3}, 20000);
        QVERIFY(t.tensors.back()->error.find("sample 99") != std::string::npos);
        // Paused after the step, its tensors are still there; one step later they are gone.
        t.command(RunCommand::StepBatch);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.back().state, RunState::Paused, 20000);
        t.control->request_tensors({0, conv.seq, 0});
        QTRY_COMPARE_WITH_TIMEOUT(t.tensors.size(), std::size_t{4}, 20000);
        QVERIFY2(t.tensors.back()->error.empty(), t.tensors.back()->error.c_str());
        t.command(RunCommand::StepBatch);
        QTRY_COMPARE_WITH_TIMEOUT(t.paused.back().step, std::int64_t{2}, 20000);
        t.control->request_tensors({0, conv.seq, 0});
        QTRY_COMPARE_WITH_TIMEOUT(t.tensors.size(), std::size_t{5}, 20000);
        QVERIFY(t.tensors.back()->error.find("step 0 is over") != std::string::npos);
    }

    void checkpointsWhilePausedInsideBackward() {
        test::Trainer t;
        pauseInsideBackward(t);
        const std::string native = data_.path("paused.safetensors");
        const std::string pt = data_.path("paused.pt");
        t.control->request_checkpoint({native, session::CheckpointFormat::Native});
        QTRY_COMPARE_WITH_TIMEOUT(t.saved.size(), std::size_t{1}, 20000);
        t.control->request_checkpoint({pt, session::CheckpointFormat::Pytorch});
        QTRY_COMPARE_WITH_TIMEOUT(t.saved.size(), std::size_t{2}, 20000);
        t.control->request_checkpoint(
            {"/nonexistent/folder/x.pt", session::CheckpointFormat::Pytorch});
        QTRY_COMPARE_WITH_TIMEOUT(t.saved.size(), std::size_t{3}, 20000);
        QVERIFY2(t.saved[0].error.empty(), t.saved[0].error.c_str());
        QVERIFY2(t.saved[1].error.empty(), t.saved[1].error.c_str());
        QCOMPARE(t.saved[0].step, std::int64_t{1});
        QVERIFY(!t.saved[2].error.empty());
        QCOMPARE(t.paused.back().state, RunState::PausedAtEvent); // still waiting there

        // The native file holds the weights after step 0 (the paused step has not updated them).
        workflows::TrainingRun plain(data_.mlp().config);
        plain.step();
        const io::NativeModel saved = io::load_native_model(native);
        const auto mine = saved.module->state_dict(), theirs = plain.model().state_dict();
        double sum = 0;
        for (const auto& [name, tensor] : theirs) {
            const Tensor* other = mine.find(name);
            QVERIFY(other);
            QCOMPARE(other->to_vector(), tensor.to_vector());
            for (const double v : tensor.to_vector())
                sum += v;
        }
        // PyTorch reads the .pt with weights_only=True.
        QProcess python;
        python.start("/usr/bin/python3",
                     {"-c",
                      "import sys, torch; d = torch.load(sys.argv[1], weights_only=True); "
                      "print(len(d), sum(float(t.double().sum()) for t in d.values()))",
                      QString::fromStdString(pt)});
        if (!python.waitForFinished(60000) || python.exitCode() != 0)
            QSKIP("no /usr/bin/python3 with torch to read the .pt");
        const QStringList out = QString::fromUtf8(python.readAllStandardOutput()).split(' ');
        QCOMPARE(out[0].toInt(), 6);
        QVERIFY(std::abs(out[1].toDouble() - sum) < 1e-6 * std::max(1.0, std::abs(sum)));
    }

    void stopWhileSaving() {
        test::Trainer t;
        pauseInsideBackward(t);
        const std::string path = data_.path("stopping.safetensors");
        t.control->request_checkpoint({path, session::CheckpointFormat::Native});
        t.command(RunCommand::Stop);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 20000);
        QCOMPARE(t.saved.size(), std::size_t{1}); // saved first, then stopped
        QVERIFY(t.saved[0].error.empty());
        QCOMPARE(t.finished[0].state, RunState::Stopped);
        QCOMPARE(io::load_native_model(path).module->state_dict().size(), std::size_t{6});
    }

    void aBadConfigurationNamesItsField() {
        session::TrainRequest r = data_.mlp();
        r.config.loader.dataset = "cifar";
        test::Trainer t;
        t.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(t.failed.size(), std::size_t{1}, 20000);
        QCOMPARE(t.failed[0].field, std::string("dataset"));
        QVERIFY(t.failed[0].message.find("cifar") != std::string::npos);
        QCOMPARE(t.order, std::vector<std::string>{"failed"});
    }

    void aDivergingRunFails() {
        session::TrainRequest r = data_.mlp(20);
        r.config.optimizer.lr = 1e6;
        r.initial = RunCommand::Run;
        test::Trainer t;
        t.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(t.finished.size(), std::size_t{1}, 60000);
        QCOMPARE(t.finished[0].state, RunState::Failed);
        QVERIFY2(t.finished[0].message.find("the loss became") != std::string::npos,
                 t.finished[0].message.c_str());
        QVERIFY(!std::isfinite(t.records().back().loss));
    }
};

QTEST_GUILESS_MAIN(TestTrainJob)
#include "tst_train_job.moc"
