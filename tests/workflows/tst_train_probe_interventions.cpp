// The hooks a learner attaches without code (workflows/hook_intervention.h), registered by
// TrainProbe::set_interventions on the bundled mlp: each changes the next step's statistics as
// its rule says, against a twin run without it (same seed, same batches). Scaling by 0.5 is
// exact in floating point, so the gradients below the module halve exactly; zeroing stops them;
// clipping brings the gradient's norm to the limit; input noise adds N(0, std^2) between the
// forward pre-hook and forward. Plus the PyTorch lines and the refused values.

#include "data/config_error.h"
#include "workflows/learnable_data.h"
#include "workflows/learnable_training.h"
#include "workflows/train_probe.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace nnscope;
using namespace nnscope::workflows;
using Kind = HookIntervention::Kind;

namespace {

const ModuleStepStats& module_of(const StepRecord& r, const std::string& path) {
    for (const auto& m : r.modules)
        if (m.module == path) return m;
    throw std::runtime_error("no module " + path);
}

const ParamStepStats& param_of(const StepRecord& r, const std::string& name) {
    for (const auto& p : r.params)
        if (p.name == name) return p;
    throw std::runtime_error("no parameter " + name);
}

// The 2-norm of a tensor from its statistics: sum x^2 = (n - 1) std^2 + n mean^2.
double norm_from(const stats::TensorStats& s) {
    const auto n = static_cast<double>(s.numel);
    return std::sqrt((n - 1) * s.std * s.std + n * s.mean * s.mean);
}

} // namespace

class TestTrainProbeInterventions : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    TrainingConfig config() const {
        return test::learnable_mlp(dir_.filePath("idx").toStdString(), 64, 16, 5);
    }

    // The second step's record of a run whose interventions are set after its first step.
    StepRecord second_step(const std::vector<HookIntervention>& interventions,
                           ProbeOptions options = {}, std::vector<HookEvent>* events = nullptr) {
        TrainingRun run(config());
        TrainProbe probe(run.model(), options);
        run.set_observer(&probe);
        probe.set_learning_rate(run.learning_rate());
        run.step();
        probe.set_interventions(interventions);
        run.step();
        run.set_observer(nullptr);
        if (events) *events = probe.events();
        return probe.last_record();
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QDir().mkpath(dir_.filePath("idx")) && QDir().mkpath(dir_.filePath("news")));
        test::write_learnable_data(dir_.path().toStdString());
    }

    void scaleHalvesTheGradientBelow() {
        const StepRecord base = second_step({});
        const StepRecord r = second_step({{1, "5", Kind::ScaleGrad, 0.5}});
        QCOMPARE(r.loss, base.loss); // the forward is the same
        QCOMPARE(module_of(r, "4").gradient->stats.mean,
                 0.5 * module_of(base, "4").gradient->stats.mean);
        QCOMPARE(module_of(r, "4").gradient->stats.std,
                 0.5 * module_of(base, "4").gradient->stats.std);
        QCOMPARE(module_of(r, "5").gradient->stats.mean, module_of(base, "5").gradient->stats.mean);
        for (const char* p : {"1.weight", "1.bias", "3.weight", "3.bias"})
            QCOMPARE(param_of(r, p).grad_norm, 0.5 * param_of(base, p).grad_norm);
        QCOMPARE(param_of(r, "5.weight").grad_norm, param_of(base, "5.weight").grad_norm);
    }

    void zeroStopsTheGradientBelow() {
        const StepRecord base = second_step({});
        const StepRecord r = second_step({{1, "3", Kind::ZeroGrad, 0}});
        QCOMPARE(module_of(r, "2").gradient->stats.zero_fraction(), 1.0);
        QCOMPARE(param_of(r, "1.weight").grad_norm, 0.0);
        QCOMPARE(param_of(r, "1.weight").update_norm, 0.0);
        QCOMPARE(param_of(r, "3.weight").grad_norm, param_of(base, "3.weight").grad_norm);
        QVERIFY(param_of(r, "3.weight").update_norm > 0);
    }

    // clip_grad_norm_'s rule: scaled by max / (norm + 1e-6) when that is below 1.
    void clipBringsTheNormToTheLimit() {
        const StepRecord base = second_step({});
        const double before = norm_from(module_of(base, "4").gradient->stats);
        const double limit = before / 4;
        const StepRecord r = second_step({{1, "5", Kind::ClipGradNorm, limit}});
        const double after = norm_from(module_of(r, "4").gradient->stats);
        QVERIFY2(std::abs(after - limit * before / (before + 1e-6)) <= 1e-5 * limit,
                 qPrintable(QString::number(after) + " vs " + QString::number(limit)));
        const StepRecord loose = second_step({{1, "5", Kind::ClipGradNorm, before * 2}});
        QCOMPARE(module_of(loose, "4").gradient->stats.std,
                 module_of(base, "4").gradient->stats.std);
    }

    // The probe's own pre-hook, registered first, sees the input before the noise; the forward
    // hook sees it after: their difference is the noise, N(0, 0.5^2) over 16 x 784 values.
    void noiseIsAddedToTheInput() {
        ProbeOptions o;
        o.modules = {"1"};
        o.events = true;
        o.capture_tensors = true;
        std::vector<HookEvent> events;
        const StepRecord base = second_step({}, o);
        const StepRecord r = second_step({{1, "1", Kind::InputNoise, 0.5}}, o, &events);
        QVERIFY(r.loss != base.loss);
        const HookEvent* pre = nullptr;
        const HookEvent* fwd = nullptr;
        for (const auto& e : events) {
            if (e.kind == HookKind::ForwardPre) pre = &e;
            if (e.kind == HookKind::Forward) fwd = &e;
        }
        QVERIFY(pre && fwd);
        const auto a = pre->inputs.at(0).to_vector();
        const auto b = fwd->inputs.at(0).to_vector();
        QCOMPARE(a.size(), std::size_t{16 * 784});
        double sum = 0, squares = 0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            const double d = b[i] - a[i];
            sum += d;
            squares += d * d;
        }
        const double n = static_cast<double>(a.size());
        const double mean = sum / n, std = std::sqrt(squares / n - mean * mean);
        QVERIFY2(std::abs(mean) < 0.02, qPrintable(QString::number(mean)));
        QVERIFY2(std::abs(std - 0.5) < 0.02, qPrintable(QString::number(std)));

        const StepRecord none = second_step({{1, "1", Kind::InputNoise, 0}});
        QCOMPARE(module_of(none, "1").activation->stats.mean,
                 module_of(second_step({}), "1").activation->stats.mean);
    }

    // Setting a new list replaces the old one: an empty list leaves the run as without any.
    void replacedAndRemoved() {
        TrainingRun run(config());
        TrainProbe probe(run.model(), {});
        probe.set_interventions({{1, "5", Kind::ZeroGrad, 0}});
        probe.set_interventions({});
        run.set_observer(&probe);
        run.step();
        run.set_observer(nullptr);
        QVERIFY(param_of(probe.last_record(), "1.weight").grad_norm > 0);
        QVERIFY_THROWS_EXCEPTION(data::ConfigError,
                                 probe.set_interventions({{2, "7", Kind::ZeroGrad, 0}}));
    }

    void refusedValues_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("value");
        QTest::newRow("scale by NaN") << int(Kind::ScaleGrad) << std::nan("");
        QTest::newRow("negative noise") << int(Kind::InputNoise) << -0.1;
        QTest::newRow("clip at 0") << int(Kind::ClipGradNorm) << 0.0;
        QTest::newRow("clip at inf") << int(Kind::ClipGradNorm) << HUGE_VAL;
    }

    void refusedValues() {
        QFETCH(int, kind);
        QFETCH(double, value);
        QVERIFY_THROWS_EXCEPTION(data::ConfigError,
                                 validate({1, "1", static_cast<Kind>(kind), value}));
    }

    void pytorchLines() {
        QCOMPARE(pytorch_line({1, "3", Kind::ScaleGrad, 0.5}),
                 std::string("h = m.register_full_backward_hook(lambda m, gi, go: tuple(g * 0.5 "
                             "if g is not None else None for g in gi))"));
        QCOMPARE(pytorch_line({1, "3", Kind::InputNoise, 2}),
                 std::string("h = m.register_forward_pre_hook(lambda m, inp: tuple(x + "
                             "torch.randn_like(x) * 2.0 for x in inp))"));
        QVERIFY(pytorch_line({1, "3", Kind::ZeroGrad, 0}).find("torch.zeros_like(g)") !=
                std::string::npos);
        QVERIFY(pytorch_line({1, "3", Kind::ClipGradNorm, 1}).find("1e-6") != std::string::npos);
        QCOMPARE(std::string(intervention_kind_name(Kind::ClipGradNorm)),
                 std::string("clip_grad_norm"));
    }
};

QTEST_GUILESS_MAIN(TestTrainProbeInterventions)
#include "tst_train_probe_interventions.moc"
