// `nnscope-cli summary`: the JSON form's shape and numbers (counted from the architectures by
// hand: Linear(i, o) has i*o + o parameters, Conv2d(i, o, k) o*i*k*k + o, BatchNorm(n) 2n
// parameters and 2n + 1 buffer elements) and the text form's totals.

#include "cli/cli_runner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using nnscope::test::golden_cli;
using nnscope::test::run_cli;

namespace {

QString resource(const char* name) {
    return QStringLiteral(NNSCOPE_RESOURCES_DIR "/models/") + QString::fromLatin1(name);
}

// `summary MODEL --json` parsed into `out`; returns what went wrong, empty when nothing did.
QString summary_json(const QString& model, QJsonObject& out) {
    auto result = run_cli({QStringLiteral("summary"), model, QStringLiteral("--json")});
    if (result.crashed || result.exit_code != 0) return nnscope::test::describe(result);
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(result.out.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError) return QStringLiteral("not JSON: ") + result.out;
    out = doc.object();
    return {};
}

#define NNSCOPE_SUMMARY_JSON(model, object)                                                        \
    QJsonObject object;                                                                            \
    do {                                                                                           \
        const QString problem = summary_json((model), object);                                     \
        QVERIFY2(problem.isEmpty(), qPrintable(problem));                                          \
    } while (false)

} // namespace

class TestCliSummary : public QObject {
    Q_OBJECT

private slots:
    void conv_bn_json() {
        NNSCOPE_SUMMARY_JSON(golden_cli(QStringLiteral("conv_bn.safetensors")), j);
        QCOMPARE(j[QStringLiteral("format")].toString(), QStringLiteral("nnscope"));

        const QJsonArray modules = j[QStringLiteral("modules")].toArray();
        const QStringList types = {QStringLiteral("Sequential"),  QStringLiteral("Conv2d"),
                                   QStringLiteral("BatchNorm2d"), QStringLiteral("ReLU"),
                                   QStringLiteral("MaxPool2d"),   QStringLiteral("Flatten"),
                                   QStringLiteral("Linear")};
        QCOMPARE(modules.size(), types.size());
        QCOMPARE(modules[0].toObject()[QStringLiteral("path")].toString(), QString());
        for (int i = 0; i < types.size(); ++i) {
            const QJsonObject m = modules[i].toObject();
            QCOMPARE(m[QStringLiteral("type")].toString(), types[i]);
            if (i) QCOMPARE(m[QStringLiteral("path")].toString(), QString::number(i - 1));
        }

        // name, shape, dtype, role, numel in state_dict order.
        struct Row {
            const char* name;
            QList<int> shape;
            const char* dtype;
            const char* role;
            int numel;
        };
        const std::vector<Row> rows = {
            {"0.weight", {4, 2, 3, 3}, "float32", "parameter", 72},
            {"0.bias", {4}, "float32", "parameter", 4},
            {"1.weight", {4}, "float32", "parameter", 4},
            {"1.bias", {4}, "float32", "parameter", 4},
            {"1.running_mean", {4}, "float32", "buffer", 4},
            {"1.running_var", {4}, "float32", "buffer", 4},
            {"1.num_batches_tracked", {}, "int64", "buffer", 1},
            {"5.weight", {3, 16}, "float32", "parameter", 48},
            {"5.bias", {3}, "float32", "parameter", 3},
        };
        const QJsonArray tensors = j[QStringLiteral("tensors")].toArray();
        QCOMPARE(tensors.size(), static_cast<qsizetype>(rows.size()));
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const QJsonObject t = tensors[static_cast<qsizetype>(i)].toObject();
            QCOMPARE(t[QStringLiteral("name")].toString(), QString::fromLatin1(rows[i].name));
            QList<int> shape;
            for (const auto& d : t[QStringLiteral("shape")].toArray())
                shape << d.toInt();
            QCOMPARE(shape, rows[i].shape);
            QCOMPARE(t[QStringLiteral("dtype")].toString(), QString::fromLatin1(rows[i].dtype));
            QCOMPARE(t[QStringLiteral("role")].toString(), QString::fromLatin1(rows[i].role));
            QCOMPARE(t[QStringLiteral("numel")].toInt(), rows[i].numel);
        }

        const QJsonObject totals = j[QStringLiteral("totals")].toObject();
        QCOMPARE(totals[QStringLiteral("parameters")].toInt(), 135);
        QCOMPARE(totals[QStringLiteral("buffers")].toInt(), 9);
        QCOMPARE(totals[QStringLiteral("unknown")].toInt(), 0);
        QCOMPARE(totals[QStringLiteral("trainable")].toInt(), 135);
        QCOMPARE(totals[QStringLiteral("non_trainable")].toInt(), 0);

        const QJsonObject metadata = j[QStringLiteral("metadata")].toObject();
        QCOMPARE(metadata[QStringLiteral("nnscope.seed")].toString(), QStringLiteral("0"));
        QVERIFY(metadata[QStringLiteral("nnscope.architecture")].toString().contains(
            QStringLiteral("BatchNorm2d")));
    }

    void bundled_models_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("parameters");
        QTest::addColumn<int>("tensors");
        // 784*512+512 + 512*256+256 + 256*10+10
        QTest::newRow("mlp file") << resource("mlp.safetensors") << 535818 << 6;
        QTest::newRow("mlp built in") << QStringLiteral("mlp") << 535818 << 6;
        // 16*1*9+16 + 32*16*9+32 + 1568*10+10
        QTest::newRow("cnn file") << resource("cnn.safetensors") << 20490 << 6;
        QTest::newRow("cnn built in") << QStringLiteral("cnn") << 20490 << 6;
    }

    void bundled_models() {
        QFETCH(QString, model);
        QFETCH(int, parameters);
        QFETCH(int, tensors);
        NNSCOPE_SUMMARY_JSON(model, j);
        QCOMPARE(j[QStringLiteral("totals")].toObject()[QStringLiteral("parameters")].toInt(),
                 parameters);
        QCOMPARE(j[QStringLiteral("totals")].toObject()[QStringLiteral("buffers")].toInt(), 0);
        QCOMPARE(j[QStringLiteral("tensors")].toArray().size(), tensors);
    }

    void text_form() {
        auto result = run_cli({QStringLiteral("summary"), resource("mlp.safetensors")});
        NNSCOPE_EXPECT_CLI_OK(result);
        QVERIFY2(result.out.contains(QStringLiteral("Total parameters:      535,818")),
                 qPrintable(result.out));
        QVERIFY(result.out.contains(QStringLiteral("Trainable parameters:  535,818")));
        QVERIFY(result.out.contains(QStringLiteral("Non-trainable params:  0")));
        QVERIFY(result.out.contains(QStringLiteral("[512, 784]")));
        QVERIFY(
            result.out.contains(QStringLiteral("in_features=784, out_features=512, bias=True")));
    }

    // A file with only an architecture and a seed says its tensors come from the seeded init.
    void seed_only_text() {
        auto result = run_cli(
            {QStringLiteral("summary"), golden_cli(QStringLiteral("seed_only.safetensors"))});
        NNSCOPE_EXPECT_CLI_OK(result);
        QVERIFY2(result.out.contains(QStringLiteral("seed 42")), qPrintable(result.out));
        QVERIFY(result.out.contains(QStringLiteral("From seeded init:      9 of 9")));
    }

    // A weight tied under two names (embedding and decoder) is one tensor: the totals are
    // PyTorch's sum(p.numel() for p in model.parameters()) from tied/expected.json.
    void tied_weights_count_once_data() {
        QTest::addColumn<QString>("file");
        for (const char* file : {"state_dict.pt", "params.pt", "script.pt"})
            QTest::newRow(file) << QString::fromLatin1(file);
    }
    void tied_weights_count_once() {
        QFETCH(QString, file);
        const QString dir = QStringLiteral(NNSCOPE_GOLDEN_DIR "/tied/");
        QFile expected_file(dir + QStringLiteral("expected.json"));
        QVERIFY(expected_file.open(QIODevice::ReadOnly));
        const QJsonObject expected = QJsonDocument::fromJson(expected_file.readAll()).object();
        const int parameters = expected[file].toObject()[QStringLiteral("parameters")].toInt();
        QCOMPARE(parameters, 269);

        NNSCOPE_SUMMARY_JSON(dir + file, j);
        QCOMPARE(j[QStringLiteral("totals")].toObject()[QStringLiteral("parameters")].toInt(),
                 parameters);
        // Each later name of the tied weight names the first, as PyTorch's data_ptr says.
        const QJsonObject want = expected[file].toObject()[QStringLiteral("tensors")].toObject();
        int tied = 0;
        for (const auto& v : j[QStringLiteral("tensors")].toArray()) {
            const QJsonObject t = v.toObject();
            const QString name = t[QStringLiteral("name")].toString();
            QVERIFY2(want.contains(name), qPrintable(name));
            const QString shares = t[QStringLiteral("shares_with")].toString();
            QCOMPARE(shares, want[name].toObject()[QStringLiteral("shares_with")].toString());
            tied += !shares.isEmpty();
        }
        QCOMPARE(tied, 1);
        const auto text = run_cli({QStringLiteral("summary"), dir + file});
        NNSCOPE_EXPECT_CLI_OK(text);
        QVERIFY2(text.out.contains(QStringLiteral("Parameters (elements):  269\n")),
                 qPrintable(text.out));
        QVERIFY(text.out.contains(QStringLiteral("Shared names:           1 ")));
    }

    // Options may come before the file: `--json` is a flag, so FILE is not taken as its value.
    // --dry-run: torchinfo's table from one forward on zeros (workflows/dry_run.h): shapes,
    // parameters, mult-adds (conv: 1568 positions x 144 weights, ...), and the reason when the
    // forward stops.
    void dry_run() {
        const auto ok = run_cli({QStringLiteral("summary"), QStringLiteral("cnn"),
                                 QStringLiteral("--dry-run"), QStringLiteral("2,1,28,28")});
        NNSCOPE_EXPECT_CLI_OK(ok);
        QVERIFY2(ok.out.contains(QStringLiteral("0 (Conv2d: 1-1)")), qPrintable(ok.out));
        QVERIFY2(ok.out.contains(QStringLiteral("[2, 16, 28, 28]  160      225,792    True")),
                 qPrintable(ok.out));
        QVERIFY2(ok.out.contains(QStringLiteral("225,792")), qPrintable(ok.out));
        QVERIFY2(ok.out.contains(QStringLiteral("Total params: 20,490\n")), qPrintable(ok.out));
        QVERIFY2(ok.out.contains(QStringLiteral("Total mult-adds: 2,063,488\n")),
                 qPrintable(ok.out));
        QVERIFY2(ok.out.contains(QStringLiteral("Output shape: [2, 10]")), qPrintable(ok.out));

        const auto stops = run_cli({QStringLiteral("summary"), QStringLiteral("cnn"),
                                    QStringLiteral("--dry-run"), QStringLiteral("2,3,28,28")});
        QCOMPARE(stops.exit_code, 1);
        QVERIFY2(stops.out.contains(QStringLiteral("The forward stopped: module '0' (Conv2d)")),
                 qPrintable(describe(stops)));

        const auto bad = run_cli({QStringLiteral("summary"), QStringLiteral("cnn"),
                                  QStringLiteral("--dry-run"), QStringLiteral("2,x")});
        QCOMPARE(bad.exit_code, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("--dry-run expects positive integers")),
                 qPrintable(describe(bad)));
    }

    void options_before_file() {
        const QString file = golden_cli(QStringLiteral("conv_bn.safetensors"));
        const auto after = run_cli({QStringLiteral("summary"), file, QStringLiteral("--json")});
        const auto before = run_cli({QStringLiteral("summary"), QStringLiteral("--json"), file});
        NNSCOPE_EXPECT_CLI_OK(before);
        QCOMPARE(before.out, after.out);
        QVERIFY(before.out.startsWith(QLatin1Char('{')));
    }
};

QTEST_GUILESS_MAIN(TestCliSummary)
#include "tst_cli_summary.moc"
