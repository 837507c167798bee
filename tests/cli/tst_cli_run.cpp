// `nnscope-cli run` against PyTorch 1.13 (tests/golden/gen_cli.py): outputs, input and parameter
// gradients, buffers after a train-mode forward, the state the model starts from (exact, also
// for a file holding only an architecture and a seed), and the order hooks fire in.

#include "cli/cli_runner.h"
#include "io/safetensors.h"
#include "support/golden.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using nnscope::test::golden_cli;
using nnscope::test::GoldenFile;
using nnscope::test::run_cli;

class TestCliRun : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

    // Runs the model of `name` on its input, writing `out`.
    nnscope::test::CliResult run(const QString& name, const QStringList& flags,
                                 const QString& out) {
        return run_cli(QStringList{QStringLiteral("run"),
                                   golden_cli(name + QStringLiteral(".safetensors")),
                                   QStringLiteral("--input"),
                                   golden_cli(name + QStringLiteral("_input.safetensors")),
                                   QStringLiteral("--output"), out} +
                       flags);
    }

private slots:
    void cases_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("train");
        for (const char* name :
             {"nested_mlp", "conv_bn", "embedding", "bn1d_layernorm", "seed_only"}) {
            QTest::addRow("%s/eval", name) << QString::fromLatin1(name) << false;
            QTest::addRow("%s/train", name) << QString::fromLatin1(name) << true;
        }
    }

    // Forward + backward in eval or train mode: every tensor PyTorch wrote, and nothing else.
    void cases() {
        QFETCH(QString, name);
        QFETCH(bool, train);
        QVERIFY(dir_.isValid());
        GoldenFile expected("cli/" + name.toStdString() + "_expected.safetensors");
        QStringList flags{QStringLiteral("--backward"), QStringLiteral("--save-state")};
        if (train) flags << QStringLiteral("--train");
        const QString path = dir_.filePath(
            name + (train ? QStringLiteral("_train.st") : QStringLiteral("_eval.st")));
        const auto result = run(name, flags, path);
        NNSCOPE_EXPECT_CLI_OK(result);
        const io::SafetensorsFile out(path.toStdString());

        const std::string prefix = train ? "train." : "eval.";
        std::vector<std::string> wanted;
        for (const auto& key : expected.names()) {
            if (key.starts_with(prefix)) wanted.push_back(key.substr(prefix.size()));
            if (key.starts_with("state.")) wanted.push_back(key);
        }
        for (const auto& key : wanted) {
            if (!out.contains(key)) QFAIL(qPrintable(QString::fromStdString("missing " + key)));
            const Tensor actual = out.tensor(key);
            const Tensor wanted_value =
                expected.tensor(key.starts_with("state.") ? key : prefix + key);
            // The state is PyTorch's bit for bit (the seed rule); counters are integers.
            if (key.starts_with("state.") || key.find("num_batches_tracked") != std::string::npos)
                NNSCOPE_COMPARE_TENSORS_EXACT(actual, wanted_value);
            else
                NNSCOPE_COMPARE_TENSORS(actual, wanted_value, 1e-5, 1e-4);
        }
        QCOMPARE(out.names().size(), wanted.size());
    }

    // Without --backward only the output is written.
    void forward_only() {
        const QString path = dir_.filePath(QStringLiteral("forward_only.st"));
        const auto result = run(QStringLiteral("conv_bn"), {}, path);
        NNSCOPE_EXPECT_CLI_OK(result);
        const io::SafetensorsFile out(path.toStdString());
        QCOMPARE(out.names(), std::vector<std::string>{"output"});
        GoldenFile expected("cli/conv_bn_expected.safetensors");
        NNSCOPE_COMPARE_TENSORS(out.tensor("output"), expected.tensor("eval.output"), 1e-5, 1e-4);
    }

    void hook_order_data() {
        QTest::addColumn<QString>("name");
        for (const char* name : {"nested_mlp", "conv_bn", "embedding", "bn1d_layernorm"})
            QTest::addRow("%s", name) << QString::fromLatin1(name);
    }

    // --trace-hooks prints one JSON line per firing, in PyTorch's order.
    void hook_order() {
        QFETCH(QString, name);
        GoldenFile expected("cli/" + name.toStdString() + "_expected.safetensors");
        const QString out = dir_.filePath(name + QStringLiteral("_hooks.st"));
        const auto result =
            run(name, {QStringLiteral("--backward"), QStringLiteral("--trace-hooks")}, out);
        NNSCOPE_EXPECT_CLI_OK(result);
        const QStringList actual = result.out.trimmed().split(QLatin1Char('\n'));
        const QStringList wanted =
            QString::fromStdString(expected.metadata("hooks")).split(QLatin1Char('\n'));
        QCOMPARE(actual, wanted);
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "tst_cli_run.moc"
