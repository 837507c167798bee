// `--threads N` of the commands that compute: it reaches the engine (bench step and train --json
// report the count their operations used), the default is NNSCOPE_THREADS or the hardware
// threads, train's default leaves busy DataLoader workers their cores, bad values are usage
// errors, and `run` writes the same bytes for any count.

#include "cli/cli_runner.h"
#include "engine/parallel.h"
#include "engine/tensor.h"
#include "io/safetensors.h"
#include "workflows/learnable_data.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>

using namespace nnscope;

namespace {

// nnscope-cli with NNSCOPE_THREADS set to `env_threads` ("" removes it).
test::CliResult run_with_env(const QStringList& arguments, const QString& env_threads) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("NNSCOPE_THREADS"));
    if (!env_threads.isEmpty()) env.insert(QStringLiteral("NNSCOPE_THREADS"), env_threads);
    return test::run_cli(arguments, 120000, env);
}

QJsonObject lastJson(const test::CliResult& r) {
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    return lines.isEmpty() ? QJsonObject()
                           : QJsonDocument::fromJson(lines.last().toUtf8()).object();
}

// What a result reports when `wanted` threads were asked for: the count, or 1 in a build
// without the OpenMP runtime (the tsan and fuzz presets), which its "parallel" says.
int expected(const QJsonObject& j, int wanted) {
    return j[QStringLiteral("parallel")].toBool() ? wanted : 1;
}

QStringList benchStep(const QStringList& extra) {
    return QStringList{"bench", "step",    "--model", "mlp",      "--batch-size",
                       "8",     "--steps", "2",       "--warmup", "0"} +
           extra;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestCliThreads : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(QDir().mkpath(dir_.filePath("idx")) && QDir().mkpath(dir_.filePath("news")));
        test::write_learnable_data(dir_.path().toStdString());
    }

    void benchReportsTheThreadsGiven_data() {
        QTest::addColumn<int>("threads");
        QTest::newRow("1") << 1;
        QTest::newRow("3") << 3;
    }

    void benchReportsTheThreadsGiven() {
        QFETCH(int, threads);
        // The option wins over the environment.
        const auto r = run_with_env(benchStep({"--threads", QString::number(threads)}), "2");
        NNSCOPE_EXPECT_CLI_OK(r);
        const QJsonObject j = lastJson(r);
        QCOMPARE(j["parallel"].toBool(), parallel::available());
        QCOMPARE(j["threads"].toInt(), expected(j, threads));
    }

    void defaultIsTheEnvironmentElseTheHardware() {
        auto r = run_with_env(benchStep({}), "3");
        NNSCOPE_EXPECT_CLI_OK(r);
        QJsonObject j = lastJson(r);
        QCOMPARE(j["threads"].toInt(), expected(j, 3));
        r = run_with_env(benchStep({}), "");
        NNSCOPE_EXPECT_CLI_OK(r);
        j = lastJson(r);
        QCOMPARE(j["threads"].toInt(), expected(j, parallel::hardware_threads()));
        // A value the engine does not take from the environment is ignored, as it says.
        r = run_with_env(benchStep({}), "zero");
        NNSCOPE_EXPECT_CLI_OK(r);
        j = lastJson(r);
        QCOMPARE(j["threads"].toInt(), expected(j, parallel::hardware_threads()));
    }

    void badValuesAreUsageErrors_data() {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("value");
        for (const char* command : {"bench", "train", "run", "diff"})
            for (const char* value : {"0", "-2", "two", "2x", "", "1025"})
                QTest::addRow("%s %s", command, value)
                    << QString::fromLatin1(command) << QString::fromLatin1(value);
    }

    void badValuesAreUsageErrors() {
        QFETCH(QString, command);
        QFETCH(QString, value);
        QStringList args{command};
        if (command == "bench") args << "step";
        if (command == "run")
            args << "mlp"
                 << "--input"
                 << "in.st"
                 << "--output"
                 << "out.st";
        if (command == "diff")
            args << "a.st"
                 << "b.st";
        if (command == "train")
            args << "--model"
                 << "mlp"
                 << "--dataset"
                 << "mnist:" + dir_.filePath("idx");
        args << "--threads" << value;
        const auto r = test::run_cli(args);
        QCOMPARE(r.exit_code, 2);
        QVERIFY2(
            r.err.contains("--threads must be a whole number from 1 to 1024, got '" + value + "'"),
            qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void helpNamesTheDefault() {
        for (const char* command : {"bench", "train", "run", "diff"}) {
            const auto r = test::run_cli({QString::fromLatin1(command), "--help"});
            NNSCOPE_EXPECT_CLI_OK(r);
            const QString flat = r.out.simplified();
            QVERIFY2(flat.contains("--threads N"), command);
            QVERIFY2(flat.contains("NNSCOPE_THREADS"), command);
            QVERIFY2(flat.contains(QStringLiteral("else the hardware threads: %1 here")
                                       .arg(parallel::hardware_threads())),
                     qPrintable(flat));
        }
    }

    // train --json reports the loop's threads: as given, or by default the hardware threads
    // less the workers a transform keeps busy (at least 1).
    void trainReportsTheLoopThreads_data() {
        const int hw = parallel::hardware_threads();
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<int>("threads");
        QTest::newRow("--threads 3, 2 workers, transform")
            << QStringList{"--threads", "3",           "--num-workers",
                           "2",         "--transform", "RandomHorizontalFlip()"}
            << 3;
        QTest::newRow("default") << QStringList{} << hw;
        QTest::newRow("default, 2 idle workers") << QStringList{"--num-workers", "2"} << hw;
        QTest::newRow("default, 1 busy worker")
            << QStringList{"--num-workers", "1", "--transform", "RandomHorizontalFlip()"}
            << std::max(1, hw - 1);
        QTest::newRow("default, 2 busy workers")
            << QStringList{"--num-workers", "2", "--transform", "RandomHorizontalFlip()"}
            << std::max(1, hw - 2);
    }

    void trainReportsTheLoopThreads() {
        QFETCH(QStringList, flags);
        QFETCH(int, threads);
        const auto r =
            run_with_env(QStringList{"train", "--model", "mlp", "--dataset",
                                     "mnist:" + dir_.filePath("idx"), "--limit", "64", "--json"} +
                             flags,
                         "");
        NNSCOPE_EXPECT_CLI_OK(r);
        const QJsonObject j = lastJson(r);
        QCOMPARE(j["threads"].toInt(), expected(j, threads));
    }

    // The same forward and backward on 1 and 3 threads: the same bytes in the output file.
    void runWritesTheSameBytesForAnyCount() {
        const std::string in = dir_.filePath("in.safetensors").toStdString();
        std::vector<double> pixels(32 * 28 * 28);
        for (std::size_t i = 0; i < pixels.size(); ++i)
            pixels[i] = static_cast<double>((i * 7919) % 1000) / 500.0 - 1.0;
        io::save_safetensors(in, {{"input", Tensor::from_vector(pixels, {32, 1, 28, 28})}});
        QByteArray first;
        for (const char* model : {"mlp", "cnn"}) {
            first.clear();
            for (const char* threads : {"1", "3"}) {
                const QString out = dir_.filePath(QStringLiteral("%1_%2.st").arg(model, threads));
                const auto r = test::run_cli({"run", model, "--input", QString::fromStdString(in),
                                              "--output", out, "--backward", "--threads", threads});
                NNSCOPE_EXPECT_CLI_OK(r);
                const QByteArray bytes = readAll(out);
                QVERIFY(!bytes.isEmpty());
                if (first.isEmpty())
                    first = bytes;
                else
                    QVERIFY2(bytes == first, model);
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestCliThreads)
#include "tst_cli_threads.moc"
