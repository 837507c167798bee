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

    // With --save-state the state_dict hooks fire first (children before their parent); with
    // --architecture the load_state_dict hooks fire while the state_dict is loaded, before all.
    void state_dict_hooks() {
        const QString name = QStringLiteral("nested_mlp");
        GoldenFile expected("cli/nested_mlp_expected.safetensors");
        auto lines = [&](const char* key) {
            return QString::fromStdString(expected.metadata(key)).split(QLatin1Char('\n'));
        };
        const auto saved = run(name,
                               {QStringLiteral("--backward"), QStringLiteral("--trace-hooks"),
                                QStringLiteral("--save-state")},
                               dir_.filePath(QStringLiteral("saved.st")));
        NNSCOPE_EXPECT_CLI_OK(saved);
        QCOMPARE(saved.out.trimmed().split(QLatin1Char('\n')),
                 lines("state_hooks") + lines("hooks"));

        // The model's tensors alone, as a state_dict: loaded into the same architecture.
        const io::SafetensorsFile model(
            golden_cli(name + QStringLiteral(".safetensors")).toStdString());
        io::NamedTensors state;
        for (const auto& key : model.names())
            state.emplace_back(key, model.tensor(key));
        const QString plain = dir_.filePath(QStringLiteral("state_dict.safetensors"));
        io::save_safetensors(plain.toStdString(), state);
        const auto loaded =
            run_cli({QStringLiteral("run"), plain, QStringLiteral("--architecture"),
                     golden_cli(name + QStringLiteral(".safetensors")), QStringLiteral("--input"),
                     golden_cli(name + QStringLiteral("_input.safetensors")),
                     QStringLiteral("--output"), dir_.filePath(QStringLiteral("loaded.st")),
                     QStringLiteral("--backward"), QStringLiteral("--trace-hooks")});
        NNSCOPE_EXPECT_CLI_OK(loaded);
        QCOMPARE(loaded.out.trimmed().split(QLatin1Char('\n')),
                 lines("load_hooks") + lines("hooks"));
    }

    // --non-strict loads the state_dict with strict=False and reports the keys on stderr;
    // without it the run is refused with PyTorch's message.
    void non_strict() {
        const QString name = QStringLiteral("nested_mlp");
        const io::SafetensorsFile model(
            golden_cli(name + QStringLiteral(".safetensors")).toStdString());
        io::NamedTensors state;
        for (const auto& key : model.names())
            if (key != "2.2.0.weight") state.emplace_back(key, model.tensor(key));
        state.emplace_back("head.weight", Tensor::zeros({2}));
        const QString plain = dir_.filePath(QStringLiteral("partial.safetensors"));
        io::save_safetensors(plain.toStdString(), state);
        const QStringList args{QStringLiteral("run"),
                               plain,
                               QStringLiteral("--architecture"),
                               golden_cli(name + QStringLiteral(".safetensors")),
                               QStringLiteral("--input"),
                               golden_cli(name + QStringLiteral("_input.safetensors")),
                               QStringLiteral("--output"),
                               dir_.filePath(QStringLiteral("partial.st"))};
        const auto strict = run_cli(args);
        QVERIFY(!strict.crashed && strict.exit_code != 0);
        QVERIFY2(strict.err.contains(QStringLiteral(
                     "Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in "
                     "state_dict: \"2.2.0.weight\". \n\tUnexpected key(s) in state_dict: "
                     "\"head.weight\". ")),
                 qPrintable(strict.err));
        const auto loose = run_cli(args + QStringList{QStringLiteral("--non-strict")});
        NNSCOPE_EXPECT_CLI_OK(loose);
        QVERIFY2(loose.err.contains(QStringLiteral(
                     "nnscope-cli run: load_state_dict(strict=False): _IncompatibleKeys("
                     "missing_keys=['2.2.0.weight'], unexpected_keys=['head.weight'])")),
                 qPrintable(loose.err));
    }
};

QTEST_GUILESS_MAIN(TestCliRun)
#include "tst_cli_run.moc"
