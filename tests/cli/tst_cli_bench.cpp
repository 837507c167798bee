// `nnscope-cli bench step` prints one JSON line with the timing fields bench/step.sh reads, and
// the bundled default models in resources/models (written by PyTorch, generate.py) hold exactly
// what nnscope-cli builds for `--model mlp|cnn` from the architecture and seed 0.

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

    void bundled_files_match_built_in_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("mlp") << QStringLiteral("mlp");
        QTest::newRow("cnn") << QStringLiteral("cnn");
    }

    // The file's tensors are PyTorch's init after manual_seed(0); the built-in model must draw
    // the very same values from the architecture and the seed.
    void bundled_files_match_built_in() {
        QFETCH(QString, name);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString file = QStringLiteral(NNSCOPE_RESOURCES_DIR "/models/") + name +
                             QStringLiteral(".safetensors");
        const QString input = dir.filePath(QStringLiteral("in.safetensors"));
        io::save_safetensors(input.toStdString(), {{"input", Tensor::ones({1, 1, 28, 28})}});
        const QString out = dir.filePath(QStringLiteral("built_in.out"));
        auto result = run_cli({QStringLiteral("run"), name, QStringLiteral("--input"), input,
                               QStringLiteral("--output"), out, QStringLiteral("--save-state")});
        NNSCOPE_EXPECT_CLI_OK(result);
        io::SafetensorsFile built_in(out.toStdString());
        io::SafetensorsFile stored(file.toStdString());
        QCOMPARE(built_in.names().size(), stored.names().size() + 1); // + "output"
        for (const auto& key : stored.names())
            NNSCOPE_COMPARE_TENSORS_EXACT(built_in.tensor("state." + key), stored.tensor(key));
    }
};

QTEST_GUILESS_MAIN(TestCliBench)
#include "tst_cli_bench.moc"
