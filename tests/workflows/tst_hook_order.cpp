// TrainProbe's hook events fire in PyTorch 1.13's order: one training step of mlp and cnn with
// forward pre, forward, full backward (or legacy backward), parameter gradient hooks and tensor
// hooks on module outputs (registered in the forward hook) on every module, against
// tests/golden/train/hook_order.json (gen_hook_order.py). PyTorch 1.13 refuses full and legacy
// backward hooks on one module, so the golden has a run of each; ours has both at once, and each
// subset must be in PyTorch's order. register_full_backward_pre_hook came with PyTorch 2.0, so
// there is no trace of it: ours fires when the gradient of the module's output arrives, before
// anything of the module's own backward (its parameters' gradients, its children's hooks, its full
// backward hook), as 2.0 documents.

#include "workflows/learnable_data.h"
#include "workflows/train_probe.h"
#include "workflows/training_run.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using namespace nnscope::workflows;

namespace {

using Trace = QStringList; // "module:kind", as gen_hook_order.py writes them

Trace golden(const QString& model, const QString& run) {
    QFile f(QStringLiteral(NNSCOPE_GOLDEN_DIR "/train/hook_order.json"));
    if (!f.open(QIODevice::ReadOnly)) return {};
    Trace trace;
    const QJsonArray events =
        QJsonDocument::fromJson(f.readAll()).object().value(model).toObject().value(run).toArray();
    for (const QJsonValue& e : events)
        trace << e.toArray().at(0).toString() + ':' + e.toArray().at(1).toString();
    return trace;
}

Trace without(const Trace& trace, std::initializer_list<HookKind> kinds) {
    Trace kept;
    for (const QString& e : trace) {
        bool drop = false;
        for (HookKind k : kinds)
            drop = drop || e.endsWith(':' + QString::fromLatin1(hook_kind_name(k)));
        if (!drop) kept << e;
    }
    return kept;
}

QString module_of(const QString& e) {
    return e.left(e.lastIndexOf(':'));
}

bool in_subtree(const QString& place, const QString& module) {
    return module.isEmpty() || place == module || place.startsWith(module + '.');
}

} // namespace

class TestHookOrder : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    bool in_sequence_ = true; // every event's seq is its place in the step

    // One training step of `model` with every event on; the events in firing order.
    Trace step(const QString& model, bool legacy) {
        TrainingConfig config;
        config.model = model.toStdString();
        config.loader.dataset = "mnist:" + dir_.filePath("idx").toStdString();
        config.loader.batch_size = 4;
        TrainingRun run(config);
        ProbeOptions options;
        options.events = true;
        options.legacy_backward_hooks = legacy;
        TrainProbe probe(run.model(), options);
        Trace trace;
        std::int64_t seq = 0;
        probe.on_event = [&](const HookEvent& e) {
            in_sequence_ = in_sequence_ && e.seq == seq++;
            trace << QString::fromStdString(e.module) + ':' + hook_kind_name(e.kind);
        };
        run.set_observer(&probe);
        run.step();
        run.set_observer(nullptr);
        if (qEnvironmentVariableIsSet("HOOK_ORDER_DUMP")) qInfo().noquote() << trace.join(' ');
        return trace;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QDir().mkpath(dir_.filePath("idx")) && QDir().mkpath(dir_.filePath("news")));
        test::write_learnable_data(dir_.path().toStdString());
    }

    void order_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("mlp") << "mlp";
        QTest::newRow("cnn") << "cnn";
    }
    void order() {
        QFETCH(QString, model);
        const Trace full = golden(model, "full"), legacy = golden(model, "legacy");
        QVERIFY(!full.isEmpty() && !legacy.isEmpty());

        const Trace ours = step(model, false);
        QCOMPARE(without(ours, {HookKind::BackwardPre}), full);

        // With the legacy hooks too: without them the order is unchanged, and they sit among
        // the others where PyTorch fires them.
        const Trace both = step(model, true);
        QCOMPARE(without(both, {HookKind::LegacyBackward}), ours);
        // An output's tensor hook sits where the full hooks' wrapping puts the output; PyTorch,
        // which has no run with both kinds, hooks the unwrapped tensor there, so in the legacy
        // run a parent's output hook shares its last child's tensor: compare without them.
        QCOMPARE(without(both, {HookKind::BackwardPre, HookKind::Backward, HookKind::OutputGrad}),
                 without(legacy, {HookKind::OutputGrad}));
        QVERIFY(legacy.filter(QStringLiteral(":output_grad")).size() > 0);
        QVERIFY(in_sequence_);
    }

    // Where the full backward pre-hook sits (PyTorch 2.0's semantics): once per module whose
    // output needs a gradient, after its parent's, before any backward event of its subtree.
    void backwardPreHook_data() { order_data(); }
    void backwardPreHook() {
        QFETCH(QString, model);
        const Trace ours = step(model, true);
        int pres = 0;
        for (int i = 0; i < ours.size(); ++i) {
            if (!ours[i].endsWith(":backward_pre")) continue;
            ++pres;
            const QString m = module_of(ours[i]);
            QVERIFY2(ours.count(m + ":backward_pre") == 1, qPrintable(m));
            QVERIFY2(ours.indexOf(m + ":backward") > i, qPrintable(m)); // its full hook after
            if (!m.isEmpty()) {                                         // after its parent's
                const QString parent = m.contains('.') ? m.left(m.lastIndexOf('.')) : QString();
                const int p = ours.indexOf(parent + ":backward_pre");
                QVERIFY2(p >= 0 && p < i, qPrintable(m));
            }
            for (int j = 0; j < i; ++j) {
                const bool backward_kind =
                    !ours[j].endsWith(":forward") && !ours[j].endsWith(":forward_pre");
                const bool own = in_subtree(module_of(ours[j]), m);
                QVERIFY2(!(backward_kind && own && !ours[j].endsWith(":backward_pre")),
                         qPrintable(ours[j] + " before " + ours[i]));
            }
        }
        // Every module with a full backward hook event has a pre-hook event.
        QCOMPARE(pres, ours.filter(QRegularExpression(":backward$")).size());
    }
};

QTEST_GUILESS_MAIN(TestHookOrder)
#include "tst_hook_order.moc"
