// nnscope-cli train --break-on: a run made to diverge with a huge learning rate stops at the
// first non-finite value, at the step where PyTorch 1.13 meets it and blamed on the module that
// made it (tests/golden/gen_train_diverge.py, where detect_anomaly blames a later backward op
// instead); every other form stops where it says with exit status 3; a breakpoint never reached
// lets the run finish; bad forms and unknown modules are usage errors naming them.

#include "cli/cli_runner.h"
#include "workflows/learnable_data.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using test::run_cli;

namespace {

constexpr int break_status = 3;

QJsonObject lastJson(const test::CliResult& r) {
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    return lines.isEmpty() ? QJsonObject()
                           : QJsonDocument::fromJson(lines.last().toUtf8()).object();
}

QJsonObject divergeGolden() {
    QFile f(QStringLiteral(NNSCOPE_GOLDEN_DIR "/train/diverge.json"));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

#define EXPECT_BREAK(result)                                                                       \
    do {                                                                                           \
        if ((result).crashed || (result).exit_code != break_status)                                \
            QFAIL(qPrintable(::nnscope::test::describe(result)));                                  \
    } while (false)

} // namespace

class TestCliTrainBreak : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString dataset_;

    test::CliResult train(QStringList extra, const QString& dataset = {}) {
        QStringList args{"train",
                         "--model",
                         "mlp",
                         "--dataset",
                         dataset.isEmpty() ? dataset_ : dataset,
                         "--progress-every",
                         "0"};
        return run_cli(args + extra);
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QDir().mkpath(dir_.filePath("idx")) && QDir().mkpath(dir_.filePath("news")));
        test::write_learnable_data(dir_.path().toStdString());
        dataset_ = "mnist:" + dir_.filePath("idx");
    }

    // SGD with lr 1e4 or 1e6 on Fashion-MNIST: the step, module, hook and operation of the first
    // non-finite value are PyTorch's; the NaN and Inf counts too.
    void divergesWhereTorchDoes_data() {
        QTest::addColumn<QString>("lr");
        QTest::newRow("1e4") << "1e4";
        QTest::newRow("1e6") << "1e6";
    }
    void divergesWhereTorchDoes() {
        QFETCH(QString, lr);
        if (!QFile::exists("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        const QJsonObject golden = divergeGolden().value(lr).toObject();
        const QJsonObject torch = golden.value("first_nonfinite").toObject();
        const QJsonObject anomaly = golden.value("detect_anomaly").toObject();
        QVERIFY(!torch.isEmpty());

        const auto r =
            train({"--optimizer", "sgd", "--lr", lr, "--break-on", "nonfinite", "--json"},
                  "fashion-mnist");
        EXPECT_BREAK(r);
        const QJsonObject hit = lastJson(r).value("break").toObject();
        QCOMPARE(hit.value("breakpoint").toString(), QStringLiteral("nonfinite"));
        QCOMPARE(hit.value("step").toInt(), torch.value("step").toInt());
        QCOMPARE(hit.value("module").toString(), torch.value("module").toString());
        QCOMPARE(hit.value("module_type").toString(), torch.value("type").toString());
        QCOMPARE(hit.value("hook").toString(), torch.value("hook").toString());
        QCOMPARE(hit.value("operation").toString(), torch.value("operation").toString());
        // The NaN / Inf split of an overflowing matrix product depends on the order of its sums
        // (+Inf and -Inf partial sums meeting make a NaN), which our GEMM and OpenBLAS do not
        // share: their total is the same.
        const auto m = QRegularExpression("^step (\\d+): output of (\\w+) \\(Linear\\) has "
                                          "(?:(\\d+) NaN and )?(\\d+) Inf, made by "
                                          "AddmmBackward0 from finite inputs$")
                           .match(hit.value("message").toString());
        QVERIFY2(m.hasMatch(), qPrintable(hit.value("message").toString()));
        QCOMPARE(m.captured(1).toInt(), torch.value("step").toInt());
        QCOMPARE(m.captured(2), torch.value("module").toString());
        QCOMPARE(m.captured(3).toInt() + m.captured(4).toInt(),
                 torch.value("nan").toInt() + torch.value("inf").toInt());
        // detect_anomaly stops at the same step but names a backward op after the loss.
        QCOMPARE(anomaly.value("step").toInt(), torch.value("step").toInt());
        QVERIFY(anomaly.value("function").toString() != hit.value("operation").toString());
        QCOMPARE(anomaly.value("function").toString(), QStringLiteral("LogSoftmaxBackward0"));
    }

    // The text form: the message, where (the event's shapes) and the breakpoint.
    void printsWhere() {
        const auto r = train({"--break-on", "forward:3"});
        EXPECT_BREAK(r);
        QCOMPARE(r.out, QStringLiteral("break: step 0: forward of 3 (Linear)\n"
                                       "  at 3 (Linear) forward (epoch 0): inputs [64, 512], "
                                       "output [64, 256]\n"
                                       "  breakpoint: forward:3 (forward of 3)\n"));
        QVERIFY2(!r.out.contains("test accuracy"), qPrintable(r.out));
    }

    void forms_data() {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<int>("step");
        QTest::addColumn<QString>("message"); // a regular expression
        QTest::addColumn<QString>("hook");    // "" when no hook event
        QTest::newRow("backward") << QStringList{"--break-on", "backward:5"} << 0
                                  << "step 0: backward of 5 \\(Linear\\)"
                                  << "backward";
        QTest::newRow("step") << QStringList{"--break-on", "step:2"} << 2 << "before step 2"
                              << "";
        // 256 samples in batches of 64: epoch 1 begins at step 4.
        QTest::newRow("epoch") << QStringList{"--epochs", "2", "--break-on", "epoch:1"} << 4
                               << "before epoch 1 \\(step 4\\)"
                               << "";
        QTest::newRow("loss") << QStringList{"--break-on", "loss>0.5"} << 0
                              << "step 0: loss [0-9.]+ > 0.5"
                              << "";
        QTest::newRow("condition")
            << QStringList{"--break-on", "3.forward.max_abs>0"} << 0
            << "step 0: max \\|x\\| of 3 \\(Linear\\) output is [0-9.e-]+ > 0.0"
            << "forward";
        QTest::newRow("relu zeros") // about half of a ReLU's outputs are zero
            << QStringList{"--break-on", "4.forward.zeros>0.2"} << 0
            << "step 0: zero fraction of 4 \\(ReLU\\) output is 0\\.[2-9][0-9]* > 0.2"
            << "forward";
        QTest::newRow("param grad")
            << QStringList{"--break-on", "5.bias.grad.max_abs>0"} << 0
            << "step 0: max \\|x\\| of 5.bias \\(Linear\\) grad is [0-9.e-]+ > 0.0"
            << "grad";
        QTest::newRow("first of several")
            << QStringList{"--break-on", "step:3", "--break-on", "backward:1"} << 0
            << "step 0: backward of 1 \\(Linear\\)"
            << "backward";
    }
    void forms() {
        QFETCH(QStringList, flags);
        QFETCH(int, step);
        QFETCH(QString, message);
        QFETCH(QString, hook);
        const auto r = train(flags + QStringList{"--json"});
        EXPECT_BREAK(r);
        const QJsonObject hit = lastJson(r).value("break").toObject();
        QCOMPARE(hit.value("step").toInt(), step);
        const QString text = hit.value("message").toString();
        QVERIFY2(QRegularExpression("^" + message + "$").match(text).hasMatch(), qPrintable(text));
        if (!hook.isEmpty()) QCOMPARE(hit.value("hook").toString(), hook);
    }

    // With --record: the steps before the stop are recorded, the abandoned one is not.
    void withRecord() {
        const QString record = dir_.filePath("record.jsonl");
        const auto r = train({"--record", record, "--break-on", "backward:3"});
        EXPECT_BREAK(r);
        QCOMPARE(r.out.section('\n', 0, 0),
                 QStringLiteral("break: step 0: backward of 3 (Linear)"));
        QFile f(record);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().count('\n'), 0);
        const auto later = train({"--record", record, "--break-on", "step:2"});
        EXPECT_BREAK(later);
        QFile g(record);
        QVERIFY(g.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = g.readAll().split('\n');
        QCOMPARE(lines.size(), 3); // two records and the empty rest
        QVERIFY2(lines[1].contains("\"step\":1"), lines[1].constData());
    }

    // A breakpoint never reached: the run trains and tests as without it.
    void neverReached() {
        const auto r = train({"--break-on", "step:1000", "--json"});
        NNSCOPE_EXPECT_CLI_OK(r);
        QVERIFY(lastJson(r).contains("test_accuracy"));
    }

    void usageErrors_data() {
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("message");
        QTest::newRow("form")
            << "bogus"
            << "nnscope-cli train: --break-on: 'bogus': expected nonfinite, loss>X, "
               "forward:MODULE, backward:MODULE, step:N, epoch:N or MODULE.HOOK.STAT>X (or <X)\n";
        QTest::newRow("number") << "loss>x"
                                << "nnscope-cli train: --break-on: 'loss>x': 'x' is not a "
                                   "number\n";
        QTest::newRow("module")
            << "forward:9"
            << "nnscope-cli train: --break-on forward:9: the model has no module '9' (\"\" (the "
               "model), 0, 1, 2, 3, 4, 5)\n";
        QTest::newRow("parameter")
            << "2.weight.grad.max>1"
            << "nnscope-cli train: --break-on 2.weight.grad.max>1.0: the model has no parameter "
               "'2.weight' (1.bias, 1.weight, 3.bias, 3.weight, 5.bias, 5.weight)\n";
    }
    void usageErrors() {
        QFETCH(QString, where);
        QFETCH(QString, message);
        const auto r = train({"--break-on", where});
        QCOMPARE(r.exit_code, 2);
        QCOMPARE(r.err.section('\n', -2), message); // after the data set's description
    }
};

QTEST_GUILESS_MAIN(TestCliTrainBreak)
#include "tst_cli_train_break.moc"
