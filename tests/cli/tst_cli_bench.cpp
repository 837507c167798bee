// `nnscope-cli bench step` prints one JSON line with the timing fields bench/step.sh reads. (The
// built-in models it runs are tested in tests/workflows/tst_default_models.)

#include "cli/cli_runner.h"
#include "io/safetensors.h"
#include "support/golden.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using nnscope::test::run_cli;

class TestCliBench : public QObject {
    Q_OBJECT

private slots:
    void step_data() {
        QTest::addColumn<QString>("model");
        QTest::newRow("mlp") << QStringLiteral("mlp");
        QTest::newRow("cnn") << QStringLiteral("cnn");
        QTest::newRow("file") << QStringLiteral(NNSCOPE_RESOURCES_DIR "/models/cnn.safetensors");
    }

    void step() {
        QFETCH(QString, model);
        auto result =
            run_cli({QStringLiteral("bench"), QStringLiteral("step"), QStringLiteral("--model"),
                     model, QStringLiteral("--batch-size"), QStringLiteral("8"),
                     QStringLiteral("--steps"), QStringLiteral("3"), QStringLiteral("--warmup"),
                     QStringLiteral("1"), QStringLiteral("--breakdown")});
        NNSCOPE_EXPECT_CLI_OK(result);
        const QJsonObject j = QJsonDocument::fromJson(result.out.toUtf8()).object();
        QCOMPARE(j[QStringLiteral("steps")].toInt(), 3);
        QCOMPARE(j[QStringLiteral("batch_size")].toInt(), 8);
        const double median = j[QStringLiteral("median_ms")].toDouble();
        QVERIFY(median > 0);
        QVERIFY(j[QStringLiteral("min_ms")].toDouble() <= median);
        QVERIFY(j[QStringLiteral("mean_ms")].toDouble() > 0);
        const QJsonObject phases = j[QStringLiteral("phases_median_ms")].toObject();
        for (const char* phase : {"zero_grad", "forward", "loss", "backward", "step"})
            QVERIFY2(phases.contains(QString::fromLatin1(phase)), phase);
        // A freshly initialised 10-class model starts near ln(10) and SGD must not blow it up.
        const double loss = j[QStringLiteral("final_loss")].toDouble();
        QVERIFY2(loss > 1.0 && loss < 4.0, qPrintable(QString::number(loss)));
    }
};

QTEST_GUILESS_MAIN(TestCliBench)
#include "tst_cli_bench.moc"
