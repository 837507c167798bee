// workflows::Breakpoint and BreakpointChecker on synthetic hook events: the --break-on forms
// (parse, print back, errors naming what is wrong), descriptions, and what each kind matches,
// with the non-finite blame rules (forward: the innermost module whose output turned non-finite
// from finite inputs; backward: the module whose grad_input did from a finite grad_output).

#include "data/config_error.h"
#include "workflows/train_breakpoints.h"

#include <QtTest>
#include <cmath>
#include <limits>

using namespace nnscope;
using namespace nnscope::workflows;

namespace {

constexpr double nan_ = std::numeric_limits<double>::quiet_NaN();
constexpr double inf_ = std::numeric_limits<double>::infinity();

Tensor values(std::vector<double> v) {
    const auto n = static_cast<std::int64_t>(v.size());
    return Tensor::from_vector(v, {n});
}

HookEvent hookEvent(std::int64_t step, const char* module, const char* type, HookKind kind,
                    std::vector<Tensor> inputs, std::vector<Tensor> outputs,
                    const char* operation = "") {
    HookEvent e;
    e.step = step;
    e.module = module;
    e.module_type = type;
    e.kind = kind;
    for (const Tensor& t : inputs)
        e.input_shapes.push_back(t.defined() ? t.shape() : std::vector<std::int64_t>{});
    for (const Tensor& t : outputs)
        e.output_shapes.push_back(t.defined() ? t.shape() : std::vector<std::int64_t>{});
    e.inputs = std::move(inputs);
    e.outputs = std::move(outputs);
    e.operation = operation;
    return e;
}

BreakpointChecker checker(std::initializer_list<const char*> texts) {
    std::vector<Breakpoint> list;
    for (const char* t : texts)
        list.push_back(parse_breakpoint(t));
    BreakpointChecker c;
    c.set(list);
    return c;
}

QString messageOf(const std::optional<BreakHit>& hit) {
    return hit ? QString::fromStdString(hit->message) : QStringLiteral("(none)");
}

} // namespace

class TestTrainBreakpoints : public QObject {
    Q_OBJECT

private slots:
    void parseAndPrint_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("printed"); // to_string(parse(text))
        QTest::addColumn<QString>("described");
        QTest::newRow("nonfinite") << "nonfinite"
                                   << "nonfinite"
                                   << "the first NaN or Inf";
        QTest::newRow("loss") << "loss>2.5"
                              << "loss>2.5"
                              << "loss > 2.5";
        QTest::newRow("loss exponent") << "loss>1e3"
                                       << "loss>1000.0"
                                       << "loss > 1000.0";
        QTest::newRow("forward") << "forward:3"
                                 << "forward:3"
                                 << "forward of 3";
        QTest::newRow("forward nested") << "forward:features.0"
                                        << "forward:features.0"
                                        << "forward of features.0";
        QTest::newRow("forward root") << "forward:"
                                      << "forward:"
                                      << "forward of the model";
        QTest::newRow("backward") << "backward:5"
                                  << "backward:5"
                                  << "backward of 5";
        QTest::newRow("step") << "step:17"
                              << "step:17"
                              << "before step 17";
        QTest::newRow("epoch") << "epoch:0"
                               << "epoch:0"
                               << "before epoch 0";
        QTest::newRow("condition") << "features.0.forward.max_abs>100"
                                   << "features.0.forward.max_abs>100.0"
                                   << "max |x| of features.0 output > 100.0";
        QTest::newRow("condition below") << "3.backward.std<-1e-05"
                                         << "3.backward.std<-1e-05"
                                         << "std of 3 grad_output < -1e-05";
        QTest::newRow("condition root") << "forward.zeros>0.5"
                                        << "forward.zeros>0.5"
                                        << "zero fraction of the model output > 0.5";
        QTest::newRow("condition param") << "1.weight.grad.nonfinite>0"
                                         << "1.weight.grad.nonfinite>0.0"
                                         << "non-finite count of 1.weight grad > 0.0";
        QTest::newRow("condition pre") << "1.forward_pre.mean<0"
                                       << "1.forward_pre.mean<0.0"
                                       << "mean of 1 input < 0.0";
        QTest::newRow("condition output grad") << "3.output_grad.max_abs>10"
                                               << "3.output_grad.max_abs>10.0"
                                               << "max |x| of 3 output grad > 10.0";
    }
    void parseAndPrint() {
        QFETCH(QString, text);
        QFETCH(QString, printed);
        QFETCH(QString, described);
        const Breakpoint b = parse_breakpoint(text.toStdString());
        QCOMPARE(QString::fromStdString(to_string(b)), printed);
        QCOMPARE(QString::fromStdString(describe(b)), described);
        QCOMPARE(parse_breakpoint(to_string(b)), b); // round trip
    }

    void parsedFields() {
        const Breakpoint c = parse_breakpoint("features.0.backward.min<-3");
        QCOMPARE(c.kind, Breakpoint::Kind::Condition);
        QCOMPARE(c.module, std::string("features.0"));
        QCOMPARE(c.hook, HookKind::Backward);
        QCOMPARE(c.stat, BreakStat::Min);
        QVERIFY(!c.above);
        QCOMPARE(c.threshold, -3.0);
        QCOMPARE(parse_breakpoint("step:4").at, std::int64_t(4));
        QCOMPARE(QString::fromStdString(describe(parse_breakpoint("forward:3"), "Linear")),
                 QStringLiteral("forward of 3 (Linear)"));
    }

    void errors_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        const QString forms = QStringLiteral(
            "expected nonfinite, loss>X, forward:MODULE, backward:MODULE, step:N, epoch:N or "
            "MODULE.HOOK.STAT>X (or <X)");
        QTest::newRow("empty") << ""
                               << "break-on: '': " + forms;
        QTest::newRow("unknown") << "nan"
                                 << "break-on: 'nan': " + forms;
        QTest::newRow("loss text") << "loss>big"
                                   << "break-on: 'loss>big': 'big' is not a number";
        QTest::newRow("loss nan") << "loss>nan"
                                  << "break-on: 'loss>nan': 'nan' is not a number";
        QTest::newRow("loss below") << "loss<1"
                                    << "break-on: 'loss<1': " + forms;
        QTest::newRow("step negative")
            << "step:-1"
            << "break-on: 'step:-1': '-1' is not a step or epoch number (0, 1, ...)";
        QTest::newRow("epoch text")
            << "epoch:one"
            << "break-on: 'epoch:one': 'one' is not a step or epoch number (0, 1, ...)";
        QTest::newRow("hook")
            << "3.fwd.max>1"
            << "break-on: '3.fwd.max>1': unknown hook 'fwd' (forward_pre, forward, backward_pre, "
               "backward, backward_legacy, grad or output_grad)";
        QTest::newRow("stat")
            << "3.forward.median>1"
            << "break-on: '3.forward.median>1': unknown statistic 'median' (mean, std, min, max, "
               "max_abs, zeros or nonfinite)";
        QTest::newRow("threshold") << "3.forward.max>"
                                   << "break-on: '3.forward.max>': '' is not a number";
    }
    void errors() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        try {
            parse_breakpoint(text.toStdString());
            QFAIL("parsed");
        } catch (const data::ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.field()), QStringLiteral("break-on"));
            QCOMPARE(QString::fromUtf8(e.what()), message);
        }
    }

    void moduleBreakpoints() {
        const auto c = checker({"forward:3", "backward:1"});
        QVERIFY(c.needs_events());
        const Tensor x = values({1, 2});
        QVERIFY(!c.at_event(hookEvent(0, "3", "Linear", HookKind::ForwardPre, {x}, {}), 0));
        QVERIFY(!c.at_event(hookEvent(0, "1", "Linear", HookKind::Forward, {x}, {x}), 0));
        const auto hit = c.at_event(hookEvent(4, "3", "Linear", HookKind::Forward, {x}, {x}), 1);
        QCOMPARE(messageOf(hit), QStringLiteral("step 4: forward of 3 (Linear)"));
        QCOMPARE(hit->breakpoint, std::size_t(0));
        QCOMPARE(hit->epoch, std::int64_t(1));
        QVERIFY(hit->event);
        QVERIFY(hit->event->inputs.empty()); // shapes only
        QCOMPARE(hit->event->input_shapes.at(0), std::vector<std::int64_t>{2});
        QVERIFY(!c.at_event(hookEvent(4, "3", "Linear", HookKind::Backward, {x}, {x}), 1));
        QCOMPARE(
            messageOf(c.at_event(hookEvent(4, "1", "Linear", HookKind::Backward, {x}, {x}), 1)),
            QStringLiteral("step 4: backward of 1 (Linear)"));
    }

    void disabledAndEmpty() {
        BreakpointChecker c;
        QVERIFY(!c.needs_events());
        Breakpoint b = parse_breakpoint("forward:3");
        b.enabled = false;
        c.set({b, parse_breakpoint("loss>1"), parse_breakpoint("step:2")});
        QVERIFY(!c.needs_events());
        QVERIFY(!c.at_event(hookEvent(0, "3", "Linear", HookKind::Forward, {}, {values({1})}), 0));
    }

    void stepsEpochsAndLoss() {
        const auto c = checker({"step:5", "epoch:1", "loss>2"});
        QVERIFY(!c.needs_events());
        QVERIFY(!c.before_step(4, 0, 4));
        QCOMPARE(messageOf(c.before_step(5, 0, 5)), QStringLiteral("before step 5"));
        QCOMPARE(messageOf(c.before_step(10, 1, 0)), QStringLiteral("before epoch 1 (step 10)"));
        QVERIFY(!c.before_step(11, 1, 1)); // not the epoch's first batch
        QVERIFY(!c.at_loss(3, 0, 2.0));
        QCOMPARE(messageOf(c.at_loss(3, 0, 2.5)), QStringLiteral("step 3: loss 2.5 > 2.0"));
        QCOMPARE(messageOf(c.at_loss(3, 0, nan_)), QStringLiteral("step 3: loss nan > 2.0"));
        QCOMPARE(c.at_loss(3, 0, 2.5)->breakpoint, std::size_t(2));
    }

    void conditions_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        // The output [0, -4, 2, 0, NaN]: over the finite elements mean -0.5, min -4, max 2.
        QTest::newRow("max_abs") << "3.forward.max_abs>3"
                                 << "step 2: max |x| of 3 (Linear) output is 4.0 > 3.0";
        QTest::newRow("max_abs no") << "3.forward.max_abs>4"
                                    << "(none)";
        QTest::newRow("mean") << "3.forward.mean<0"
                              << "step 2: mean of 3 (Linear) output is -0.5 < 0.0";
        QTest::newRow("min") << "3.forward.min<-3.5"
                             << "step 2: min of 3 (Linear) output is -4.0 < -3.5";
        QTest::newRow("max") << "3.forward.max>1"
                             << "step 2: max of 3 (Linear) output is 2.0 > 1.0";
        QTest::newRow("zeros") << "3.forward.zeros>0.3"
                               << "step 2: zero fraction of 3 (Linear) output is 0.4 > 0.3";
        QTest::newRow("nonfinite") << "3.forward.nonfinite>0"
                                   << "step 2: non-finite count of 3 (Linear) output is 1.0 > 0.0";
        QTest::newRow("std") << "3.forward.std>2.5"
                             << "step 2: std of 3 (Linear) output is 2.516611478423583 > 2.5";
        QTest::newRow("other module") << "4.forward.max>1"
                                      << "(none)";
        QTest::newRow("other hook") << "3.backward.max>1"
                                    << "(none)";
        QTest::newRow("input") << "3.forward_pre.max>5"
                               << "(none)"; // the pre-hook's input: 1, 2
    }
    void conditions() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const auto c = checker({text.toStdString().c_str()});
        const Tensor in = values({1, 2}), out = values({0, -4, 2, 0, nan_});
        const auto at_forward =
            c.at_event(hookEvent(2, "3", "Linear", HookKind::Forward, {in}, {out}), 0);
        const auto at_pre =
            c.at_event(hookEvent(2, "3", "Linear", HookKind::ForwardPre, {in}, {}), 0);
        QCOMPARE(messageOf(at_forward ? at_forward : at_pre), message);
    }

    // Conditions in backward read grad_output; on a parameter, its gradient.
    void backwardConditions() {
        const auto c = checker({"3.backward.max_abs>10", "3.weight.grad.max>1"});
        const Tensor small = values({1, -2}), big = values({0, -20});
        QVERIFY(!c.at_event(hookEvent(0, "3", "Linear", HookKind::Backward, {big}, {small}), 0));
        QCOMPARE(messageOf(c.at_event(
                     hookEvent(0, "3", "Linear", HookKind::Backward, {small}, {big}), 0)),
                 QStringLiteral("step 0: max |x| of 3 (Linear) grad_output is 20.0 > 10.0"));
        QCOMPARE(
            messageOf(c.at_event(
                hookEvent(0, "3.weight", "Linear", HookKind::ParamGrad, {}, {values({3})}), 0)),
            QStringLiteral("step 0: max of 3.weight (Linear) grad is 3.0 > 1.0"));
    }

    // A forward pass where module 3's Linear overflows: the forward hooks fire innermost first,
    // and the first one with a non-finite output from finite inputs is blamed, with its
    // operation; NaN and Inf counted apart. Then the checker stays quiet (once per set()).
    void nonFiniteForward() {
        const auto c = checker({"nonfinite"});
        const Tensor fine = values({1, 2, 3}), bad = values({inf_, -inf_, nan_, 1, inf_});
        QVERIFY(!c.at_event(
            hookEvent(17, "1", "Linear", HookKind::Forward, {fine}, {fine}, "AddmmBackward0"), 0));
        QVERIFY(!c.at_event(hookEvent(17, "3", "Linear", HookKind::ForwardPre, {fine}, {}), 0));
        const auto hit = c.at_event(
            hookEvent(17, "3", "Linear", HookKind::Forward, {fine}, {bad}, "AddmmBackward0"), 0);
        QCOMPARE(messageOf(hit),
                 QStringLiteral("step 17: output of 3 (Linear) has 1 NaN and 3 Inf, "
                                "made by AddmmBackward0 from finite inputs"));
        QCOMPARE(hit->event->output_shapes.at(0), std::vector<std::int64_t>{5});
        QCOMPARE(hit->event->operation, std::string("AddmmBackward0"));
        // The modules after it see the NaN in their inputs: no second hit.
        QVERIFY(!c.at_event(hookEvent(17, "4", "ReLU", HookKind::Forward, {bad}, {bad}), 0));
        QVERIFY(!c.at_loss(17, 0, nan_));
    }

    void nonFiniteBackward_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("backward") << int(HookKind::Backward)
                                  << "step 17: grad_input of 3 (Linear) has 12 NaN";
        QTest::newRow("legacy") << int(HookKind::LegacyBackward)
                                << "step 17: grad_input of 3 (Linear) has 12 NaN";
    }
    void nonFiniteBackward() {
        QFETCH(int, kind);
        QFETCH(QString, message);
        const auto c = checker({"nonfinite"});
        const Tensor fine = values({1, 2}), bad = Tensor::full({3, 4}, nan_);
        const auto hit =
            c.at_event(hookEvent(17, "3", "Linear", HookKind(kind), {bad, Tensor()}, {fine}), 0);
        QCOMPARE(messageOf(hit), message);
        QCOMPARE(hit->event->input_shapes.at(0), (std::vector<std::int64_t>{3, 4}));
    }

    // Other first places of a non-finite value: a grad_output already non-finite, a parameter's
    // gradient, an input before any observed forward made it, the loss.
    void nonFiniteElsewhere() {
        const Tensor fine = values({1}), bad = values({inf_, inf_});
        QCOMPARE(
            messageOf(
                checker({"nonfinite"})
                    .at_event(hookEvent(2, "5", "Linear", HookKind::Backward, {bad}, {bad}), 0)),
            QStringLiteral("step 2: grad_output of 5 (Linear) has 2 Inf"));
        QCOMPARE(
            messageOf(
                checker({"nonfinite"})
                    .at_event(hookEvent(2, "5.bias", "Linear", HookKind::ParamGrad, {}, {bad}), 0)),
            QStringLiteral("step 2: grad of 5.bias has 2 Inf"));
        QCOMPARE(
            messageOf(
                checker({"nonfinite"})
                    .at_event(hookEvent(2, "", "Sequential", HookKind::ForwardPre, {bad}, {}), 0)),
            QStringLiteral("step 2: input of the model (Sequential) has 2 Inf before its "
                           "forward (made outside the observed modules)"));
        QCOMPARE(
            messageOf(
                checker({"nonfinite"})
                    .at_event(hookEvent(2, "1", "Linear", HookKind::Forward, {bad}, {bad}), 0)),
            QStringLiteral("step 2: input of 1 (Linear) has 2 Inf"));
        QCOMPARE(messageOf(checker({"nonfinite"}).at_loss(9, 0, inf_)),
                 QStringLiteral("step 9: the loss is inf"));
        // set() arms it again.
        auto c = checker({"nonfinite"});
        QVERIFY(c.at_loss(9, 0, nan_));
        QVERIFY(!c.at_loss(10, 0, nan_));
        c.set(c.breakpoints());
        QVERIFY(c.at_loss(10, 0, nan_));
    }

    // The first matching breakpoint in the list wins.
    void order() {
        const auto c = checker({"forward:3", "nonfinite"});
        const auto hit = c.at_event(
            hookEvent(1, "3", "Linear", HookKind::Forward, {values({1})}, {values({nan_})}), 0);
        QCOMPARE(hit->breakpoint, std::size_t(0));
    }

    void names() {
        QCOMPARE(break_stat_name(BreakStat::MaxAbs), "max_abs");
        QCOMPARE(break_stat_name(BreakStat::ZeroFraction), "zeros");
        QCOMPARE(QString::fromStdString(
                     describe_place(hookEvent(0, "3", "Linear", HookKind::Backward, {}, {}))),
                 QStringLiteral("3 (Linear) backward"));
    }
};

QTEST_GUILESS_MAIN(TestTrainBreakpoints)
#include "tst_train_breakpoints.moc"
