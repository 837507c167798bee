// `nnscope-cli run` with named inputs against PyTorch 1.13 (tests/golden/gen_cli_named.py):
// op:gather, op:index_select, op:scatter_add, op:embedding, op:cross_entropy (ignore_index,
// label smoothing, class weights), op:nll_loss and op:mse_loss, and a CrossEntropyLoss model
// taking input and target, forward and backward; and the usage errors of the mode.

#include "cli/cli_runner.h"
#include "io/safetensors.h"
#include "support/golden.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using nnscope::test::GoldenFile;
using nnscope::test::run_cli;

namespace {

QString golden_named(const QString& name) {
    return QStringLiteral(NNSCOPE_GOLDEN_DIR "/cli_named/") + name;
}

// The --input values of a case, with FILE made absolute: NAME=FILE[:TENSOR] or FILE.
QStringList input_flags(const std::string& inputs) {
    QStringList flags;
    for (const QString& input : QString::fromStdString(inputs).split(u';', Qt::SkipEmptyParts)) {
        const qsizetype eq = input.indexOf(u'=');
        flags << QStringLiteral("--input")
              << (eq < 0 ? golden_named(input)
                         : input.left(eq + 1) + golden_named(input.mid(eq + 1)));
    }
    return flags;
}

} // namespace

class TestCliRunNamed : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

private slots:
    void matchesPyTorch_data() {
        QTest::addColumn<QString>("name");
        for (const char* name :
             {"gather", "gather_dim0", "index_select", "scatter_add", "embedding", "cross_entropy",
              "cross_entropy_rules", "nll_loss", "nll_loss_none", "mse_loss", "ce_model"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    // "output" and every gradient PyTorch computed, and nothing else.
    void matchesPyTorch() {
        QFETCH(QString, name);
        QVERIFY(dir_.isValid());
        const GoldenFile expected("cli_named/" + name.toStdString() + "_expected.safetensors");
        const std::string file = expected.metadata("file");
        QStringList arguments{QStringLiteral("run"),
                              file.starts_with("op:") ? QString::fromStdString(file)
                                                      : golden_named(QString::fromStdString(file))};
        arguments << input_flags(expected.metadata("inputs"));
        for (const QString& arg :
             QString::fromStdString(expected.metadata("args")).split(u';', Qt::SkipEmptyParts))
            arguments << QStringLiteral("--arg") << arg;
        const QString out = dir_.filePath(name + QStringLiteral(".safetensors"));
        arguments << QStringLiteral("--output") << out << QStringLiteral("--backward");
        const auto result = run_cli(arguments);
        NNSCOPE_EXPECT_CLI_OK(result);
        const io::SafetensorsFile written(out.toStdString());
        QCOMPARE(written.names(), expected.names());
        for (const std::string& tensor : expected.names()) {
            QString why;
            QVERIFY2(
                test::allclose(written.tensor(tensor), expected.tensor(tensor), 1e-5, 1e-4, &why),
                qPrintable(QString::fromStdString(tensor) + u' ' + why));
        }
    }

    void errors_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exit_code");
        QTest::addColumn<QString>("message");
        const QString in = golden_named(QStringLiteral("gather_in.safetensors"));
        const QString op = QStringLiteral("op:gather");
        auto row = [&](const char* tag, QStringList args, int code, const char* message) {
            QTest::newRow(tag) << (QStringList{QStringLiteral("run")} + args) << code
                               << QString::fromUtf8(message);
        };
        row("missing tensor", {op, "--input", "input=" + in, "--arg", "dim=1"}, 1,
            "gather() needs the tensor 'index' (its tensors: input, index)");
        row("unknown tensor",
            {op, "--input", "input=" + in, "--input", "index=" + in + ":idx", "--input",
             "target=" + in + ":idx", "--arg", "dim=1"},
            1, "gather() takes no tensor 'target' (its tensors: input, index)");
        row("missing dim", {op, "--input", "input=" + in, "--input", "index=" + in + ":idx"}, 1,
            "gather() missing required argument 'dim'");
        row("unknown arg",
            {op, "--input", "input=" + in, "--input", "index=" + in + ":idx", "--arg", "dim=1",
             "--arg", "reduction=sum"},
            1, "gather() got an unexpected keyword argument 'reduction' (it takes dim)");
        row("bad int",
            {op, "--input", "input=" + in, "--input", "index=" + in + ":idx", "--arg", "dim=x"}, 1,
            "gather(): argument 'dim' expects an integer, got 'x'");
        row("pytorch refusal",
            {op, "--input", "input=" + in, "--input", "index=" + in + ":idx", "--arg", "dim=0"}, 1,
            "index 3 is out of bounds for dimension 0 with size 3");
        row("no such tensor", {op, "--input", "index=" + in, "--arg", "dim=1"}, 1,
            "no tensor 'index' (it has 'input', 'idx', 'grad_output')");
        row("grad_output without backward",
            {op, "--input", "input=" + in, "--input", "index=" + in + ":idx", "--input",
             "grad_output=" + in, "--arg", "dim=1"},
            2, "--input grad_output=... is read only with --backward");
        row("unknown op", {"op:gather2", "--input", "input=" + in}, 1,
            "unknown op 'gather2' (known: gather, index_select, scatter_add, embedding, "
            "cross_entropy, nll_loss, mse_loss)");
        row("bad input form", {op, "--input", "input=" + in + "x"}, 2,
            "expected NAME=FILE.safetensors[:TENSOR] or FILE.safetensors");
        row("given twice", {op, "--input", "input=" + in, "--input", "input=" + in}, 2,
            "--input input=... is given twice");
        row("arg without op",
            {golden_named(QStringLiteral("ce_model.safetensors")), "--input", "input=" + in,
             "--arg", "dim=1"},
            2, "--arg is for an operation (op:NAME)");
        row("model missing target",
            {golden_named(QStringLiteral("ce_model.safetensors")), "--input", "input=" + in}, 1,
            "the model (CrossEntropyLoss) needs the tensor 'target' (its tensors: input, "
            "target)");
    }
    void errors() {
        QFETCH(QStringList, arguments);
        QFETCH(int, exit_code);
        QFETCH(QString, message);
        QVERIFY(dir_.isValid());
        const auto result =
            run_cli(arguments + QStringList{QStringLiteral("--output"),
                                            dir_.filePath(QStringLiteral("refused.st"))});
        QCOMPARE(result.exit_code, exit_code);
        QVERIFY2(result.err.contains(message), qPrintable(test::describe(result)));
    }
};

QTEST_GUILESS_MAIN(TestCliRunNamed)
#include "tst_cli_run_named.moc"
