// workflows::TrainProbe on the bundled mlp over small learnable data (learnable_data.h): the step
// record's statistics against values recomputed from the same tensors, the parameter norms
// against SGD's own rule, hook events with shapes, operations and captured copies, unobserved
// modules and steps, evaluation between steps left alone, and an exception thrown from on_event
// leaving forward or backward and TrainingRun::step() with the next step recorded as usual.

#include "data/config_error.h"
#include "workflows/learnable_data.h"
#include "workflows/learnable_training.h"
#include "workflows/train_probe.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <map>

using namespace nnscope;
using namespace nnscope::workflows;

namespace {

struct Abandon : std::runtime_error {
    Abandon()
        : std::runtime_error("abandoned by the test") {}
};

// Runs `run`'s next step with `probe` observing it, setting the learning rate as a run owner does.
std::optional<BatchResult> probed_step(TrainingRun& run, TrainProbe& probe) {
    run.set_observer(&probe);
    probe.set_learning_rate(run.learning_rate());
    auto r = run.step();
    run.set_observer(nullptr);
    return r;
}

double norm_of(const std::vector<double>& v) {
    double s = 0;
    for (double x : v)
        s += x * x;
    return std::sqrt(s);
}

const ModuleStepStats* find(const StepRecord& r, const std::string& module) {
    for (const auto& m : r.modules)
        if (m.module == module) return &m;
    return nullptr;
}

} // namespace

class TestTrainProbe : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    TrainingConfig config() const {
        return test::learnable_mlp(dir_.filePath("idx").toStdString(), 64, 16, 3);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QDir().mkpath(dir_.filePath("idx")) && QDir().mkpath(dir_.filePath("news")));
        test::write_learnable_data(dir_.path().toStdString());
    }

    // Every module's output and gradient statistics are those of the very tensors; the logits'
    // gradient (softmax - onehot) / N sums to zero over each row, so its mean is zero.
    void recordsEveryModule() {
        TrainingRun run(config());
        std::vector<Tensor> seen_output, seen_grad;
        auto h1 = run.model().child("3")->register_forward_hook(
            [&](nn::Module&, const std::vector<Tensor>&, const Tensor& out) {
                seen_output.push_back(out.detach().clone());
                return Tensor();
            });
        TrainProbe probe(run.model(), {});
        auto h2 = run.model().child("5")->register_full_backward_hook(
            [&](nn::Module&, const std::vector<Tensor>&, const std::vector<Tensor>& go) {
                seen_grad.push_back(go[0].clone());
                return std::vector<Tensor>{};
            });
        QVERIFY(probed_step(run, probe));
        h1.remove();
        h2.remove();
        const StepRecord& r = probe.last_record();
        QVERIFY(r.observed);
        QCOMPARE(r.step, std::int64_t{0});
        QCOMPARE(r.samples, std::int64_t{16});
        QCOMPARE(r.lr, 0.1);
        QVERIFY(std::isfinite(r.loss) && r.loss > 0);
        QCOMPARE(r.modules.size(), run.model().named_modules().size()); // root + 6 children
        QCOMPARE(r.modules[0].module, std::string());
        QCOMPARE(r.modules[0].type, std::string("Sequential"));

        const ModuleStepStats* linear = find(r, "3");
        QVERIFY(linear && linear->activation && linear->gradient);
        const StreamStats expected = stream_stats(seen_output.at(0));
        QCOMPARE(linear->activation->stats.numel, std::int64_t{16 * 256});
        QCOMPARE(linear->activation->stats.mean, expected.stats.mean);
        QCOMPARE(linear->activation->stats.std, expected.stats.std);
        QCOMPARE(linear->activation->histogram.counts, expected.histogram.counts);
        QCOMPARE(linear->activation->histogram.counts.size(), std::size_t{64});
        QCOMPARE(linear->gradient->stats.numel, std::int64_t{16 * 256});

        const ModuleStepStats* relu = find(r, "4");
        QVERIFY(relu && relu->activation);
        QCOMPARE(relu->activation->stats.min, 0.0);
        QVERIFY(relu->activation->stats.zero_fraction() > 0.05);
        QCOMPARE(relu->activation->stats.zeros,
                 std::int64_t(std::llround(relu->activation->stats.zero_fraction() * 16 * 256)));

        const ModuleStepStats* logits = find(r, "5");
        QVERIFY(logits && logits->gradient);
        const StreamStats g = stream_stats(seen_grad.at(0));
        QCOMPARE(logits->gradient->stats.mean, g.stats.mean);
        QVERIFY(std::abs(logits->gradient->stats.mean) < 1e-9);
        QVERIFY(logits->gradient->stats.min < 0 && logits->gradient->stats.max > 0);
        std::int64_t counted = 0;
        for (auto c : logits->gradient->histogram.counts)
            counted += c;
        QCOMPARE(counted, std::int64_t{16 * 10});
    }

    // Plain SGD moves each parameter by lr * grad: the update norm is lr times the gradient
    // norm, and the weight norm is that of the parameter after the step.
    void paramNormsFollowSgd() {
        TrainingRun run(config());
        TrainProbe probe(run.model(), {});
        QVERIFY(probed_step(run, probe));
        const StepRecord& r = probe.last_record();
        const auto named = run.model().named_parameters();
        QCOMPARE(r.params.size(), named.size());
        for (std::size_t k = 0; k < named.size(); ++k) {
            const ParamStepStats& p = r.params[k];
            QCOMPARE(p.name, named[k].first);
            QVERIFY2(p.grad_norm > 0, p.name.c_str());
            QVERIFY2(std::abs(p.update_norm - 0.1 * p.grad_norm) <= 1e-5 * p.update_norm,
                     qPrintable(QString::number(p.update_norm) + " vs " +
                                QString::number(0.1 * p.grad_norm)));
            const double w = norm_of(named[k].second.to_vector());
            QVERIFY(std::abs(p.weight_norm - w) <= 1e-12 * w);
        }
        QVERIFY(r.train_seconds > 0 && r.observe_seconds > 0);
    }

    void eventsInOrderWithShapes() {
        TrainingRun run(config());
        ProbeOptions o;
        o.events = true;
        TrainProbe probe(run.model(), o);
        std::vector<std::string> live;
        probe.on_event = [&](const HookEvent& e) {
            QCOMPARE(e.inputs.size(), e.input_shapes.size());
            QCOMPARE(e.outputs.size(), e.output_shapes.size());
            live.push_back(describe_place(e));
        };
        QVERIFY(probed_step(run, probe));
        const auto& events = probe.events();
        QCOMPARE(events.size(), live.size());
        // 7 modules x (forward_pre, forward, backward_pre, backward, output_grad) + 6 parameter
        // gradients, less the backward and output gradient of Flatten "0": its input, the
        // images, needs no gradient, so no gradient flows back to it (as in PyTorch).
        QCOMPARE(events.size(), std::size_t{7 * 5 + 6 - 3});
        QCOMPARE(events.front().kind, HookKind::ForwardPre);
        QCOMPARE(events.front().module, std::string());
        bool backward = false;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const HookEvent& e = events[i];
            QCOMPARE(e.seq, std::int64_t(i));
            QCOMPARE(e.step, std::int64_t{0});
            QVERIFY(e.inputs.empty() && e.outputs.empty()); // shapes only without capture
            if (is_backward(e.kind))
                backward = true;
            else
                QVERIFY2(!backward, "a forward event after backward began");
            if (e.kind == HookKind::Forward && e.module == "1") {
                QCOMPARE(e.output_shapes.at(0), (std::vector<std::int64_t>{16, 512}));
                QCOMPARE(e.input_shapes.at(0), (std::vector<std::int64_t>{16, 784}));
                QVERIFY(!e.operation.empty());
            }
            if (e.kind == HookKind::Forward && e.module == "2")
                QCOMPARE(e.operation, std::string("ReluBackward0"));
            if (e.kind == HookKind::Backward && e.module == "2")
                QCOMPARE(e.operation, std::string("ReluBackward0"));
            if (e.kind == HookKind::OutputGrad && e.module == "5") {
                QCOMPARE(e.output_shapes.at(0), (std::vector<std::int64_t>{16, 10}));
                QCOMPARE(e.operation, std::string("AddmmBackward0"));
                QCOMPARE(describe_place(e), std::string("grad of 5's output"));
            }
            if (e.kind == HookKind::ParamGrad && e.module == "5.weight") {
                QCOMPARE(e.module_type, std::string("Linear"));
                QCOMPARE(e.output_shapes.at(0), (std::vector<std::int64_t>{10, 256}));
            }
        }
        QVERIFY(backward);
        QCOMPARE(live.back(), describe_place(events.back()));

        // Saving the model fires the state_dict hooks, children first; they join the timeline
        // but never reach on_event (a checkpoint saved while paused in it must not pause again).
        const std::size_t before = events.size(), called = live.size();
        run.model().state_dict();
        QCOMPARE(probe.events().size(), before + 7);
        QCOMPARE(live.size(), called);
        QCOMPARE(probe.events()[before].kind, HookKind::StateDict);
        QCOMPARE(probe.events()[before].module, std::string("0"));
        QCOMPARE(probe.events().back().module, std::string());
        QCOMPARE(probe.events().back().seq, std::int64_t(before + 6));
    }

    // With capture_tensors the kept events hold copies of what the hook saw, detached.
    void capturedTensorsAreCopies() {
        TrainingRun run(config());
        ProbeOptions o;
        o.modules = {"5"};
        o.events = true;
        o.capture_tensors = true;
        TrainProbe probe(run.model(), o);
        std::vector<double> live_output;
        probe.on_event = [&](const HookEvent& e) {
            if (e.kind == HookKind::Forward) live_output = e.outputs.at(0).to_vector();
        };
        QVERIFY(probed_step(run, probe));
        const HookEvent* forward = nullptr;
        for (const auto& e : probe.events())
            if (e.kind == HookKind::Forward) forward = &e;
        QVERIFY(forward);
        QCOMPARE(forward->outputs.at(0).to_vector(), live_output);
        QVERIFY(!forward->outputs.at(0).requires_grad());
        QCOMPARE(forward->outputs.at(0).shape(), (Shape{16, 10}));
    }

    // Only the named modules are hooked; the others run without hooks. Unobserved steps make
    // no statistics but still make events; the probe's hooks leave with it.
    void unobservedModulesAndSteps() {
        TrainingRun run(config());
        {
            ProbeOptions o;
            o.modules = {"1"};
            o.events = true;
            TrainProbe probe(run.model(), o);
            QVERIFY(run.model().child("1")->has_call_hooks());
            QVERIFY(!run.model().child("3")->has_call_hooks());
            QVERIFY(!run.model().has_call_hooks());
            QVERIFY(probed_step(run, probe));
            QCOMPARE(probe.last_record().modules.size(), std::size_t{1});
            QCOMPARE(probe.last_record().params.size(), std::size_t{2});
            QCOMPARE(probe.last_record().params[0].name, std::string("1.weight"));

            probe.observe(false);
            QVERIFY(probed_step(run, probe));
            QCOMPARE(probe.last_record().step, std::int64_t{1});
            QVERIFY(!probe.last_record().observed);
            QVERIFY(probe.last_record().modules.empty());
            QVERIFY(!probe.events().empty());

            // An evaluation between steps fires no event and leaves the record alone.
            const auto events = probe.events().size();
            run.evaluate(8);
            QCOMPARE(probe.events().size(), events);
            QCOMPARE(probe.last_record().step, std::int64_t{1});
        }
        QVERIFY(!run.model().child("1")->has_call_hooks());
        ProbeOptions bad;
        bad.modules = {"9"};
        QVERIFY_THROWS_EXCEPTION(data::ConfigError, TrainProbe(run.model(), bad));
    }

    // Legacy hooks beside the full ones: on the root their grad_input is the last operation's
    // (Linear "5": its bias, input and weight), on ReLU "2" the same as the full hook's.
    void legacyBackwardEvents() {
        TrainingRun run(config());
        ProbeOptions o;
        o.modules = {"", "2"};
        o.events = true;
        o.legacy_backward_hooks = true;
        TrainProbe probe(run.model(), o);
        QVERIFY(probed_step(run, probe));
        std::map<std::string, const HookEvent*> legacy, full;
        for (const auto& e : probe.events()) {
            if (e.kind == HookKind::LegacyBackward) legacy[e.module] = &e;
            if (e.kind == HookKind::Backward) full[e.module] = &e;
        }
        QCOMPARE(legacy.size(), std::size_t{2});
        QCOMPARE(legacy.at("2")->input_shapes, full.at("2")->input_shapes);
        QCOMPARE(legacy.at("2")->operation, std::string("ReluBackward0"));
        QCOMPARE(legacy.at("")->input_shapes.size(), std::size_t{3});
        // AddmmBackward0's order: bias, input, weight.
        QCOMPARE(legacy.at("")->input_shapes[0], (std::vector<std::int64_t>{10}));
        QCOMPARE(legacy.at("")->input_shapes[1], (std::vector<std::int64_t>{16, 256}));
        QCOMPARE(full.at("")->input_shapes, (std::vector<std::vector<std::int64_t>>{{}}));
        QCOMPARE(std::string(hook_kind_name(legacy.at("")->kind)), std::string("backward_legacy"));
    }

    void throwingCallbackAbandonsTheStep_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("module");
        QTest::newRow("forward of 3") << int(HookKind::Forward) << "3";
        QTest::newRow("backward of 3") << int(HookKind::Backward) << "3";
        QTest::newRow("backward_pre of the root") << int(HookKind::BackwardPre) << "";
        QTest::newRow("grad of 1.weight") << int(HookKind::ParamGrad) << "1.weight";
    }

    // The exception leaves TrainingRun::step() without an optimizer step; the next step is
    // recorded in full, with its own events.
    void throwingCallbackAbandonsTheStep() {
        QFETCH(int, kind);
        QFETCH(QString, module);
        TrainingRun run(config());
        ProbeOptions o;
        o.events = true;
        TrainProbe probe(run.model(), o);
        bool armed = true;
        probe.on_event = [&](const HookEvent& e) {
            if (armed && int(e.kind) == kind && e.module == module.toStdString()) {
                armed = false;
                throw Abandon();
            }
        };
        const std::vector<double> before = run.model().child("1")->parameter("bias").to_vector();
        QVERIFY_THROWS_EXCEPTION(Abandon, probed_step(run, probe));
        QCOMPARE(run.model().child("1")->parameter("bias").to_vector(), before);
        QCOMPARE(run.global_step(), std::int64_t{0});

        const auto r = probed_step(run, probe);
        QVERIFY(r);
        const StepRecord& rec = probe.last_record();
        QVERIFY(rec.observed);
        QCOMPARE(rec.step, std::int64_t{0});
        QCOMPARE(rec.loss, r->loss);
        QCOMPARE(rec.modules.size(), std::size_t{7});
        for (const auto& m : rec.modules)
            QVERIFY2(m.activation && (m.gradient || m.module == "0"), m.module.c_str());
        QCOMPARE(probe.events().size(), std::size_t{7 * 5 + 6 - 3});
        QCOMPARE(probe.events().front().seq, std::int64_t{0});
        for (const auto& p : rec.params)
            QVERIFY(std::abs(p.update_norm - 0.1 * p.grad_norm) <= 1e-5 * p.update_norm);
    }
};

QTEST_GUILESS_MAIN(TestTrainProbe)
#include "tst_train_probe.moc"
