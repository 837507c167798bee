// Bad input never crashes nnscope-cli: malformed and truncated files, files that are not models,
// unknown module types and arguments, tensors of the wrong shape, wrong input shapes, NaN inputs
// and wrong options all end with a message on stderr and a non-zero exit code (2 for usage
// errors, 1 for everything else).

#include "cli/cli_runner.h"
#include "io/safetensors.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

using namespace nnscope;
using nnscope::test::golden_cli;
using nnscope::test::run_cli;

namespace {

const char* const kLinearArch =
    R"({"type": "Sequential", "children": [["0", {"type": "Linear", "in_features": 3,)"
    R"( "out_features": 2}]]})";

} // namespace

class TestCliErrors : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;

    QString path(const char* name) const { return dir_.filePath(QString::fromLatin1(name)); }

    void write_raw(const char* name, const QByteArray& bytes) const {
        QFile file(path(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
    }

    void write_model(const char* name, const std::string& architecture,
                     const io::NamedTensors& tensors = {}, const std::string& seed = "0") const {
        io::save_safetensors(path(name).toStdString(), tensors,
                             {{"nnscope.architecture", architecture}, {"nnscope.seed", seed}});
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        write_raw("garbage.safetensors", QByteArray("this is not a safetensors file at all"));
        write_raw("empty.safetensors", QByteArray());
        QFile good(golden_cli(QStringLiteral("conv_bn.safetensors")));
        QVERIFY(good.open(QIODevice::ReadOnly));
        write_raw("truncated.safetensors", good.readAll().left(300));
        QByteArray huge(8, '\0');
        huge[7] = '\x7f'; // header length far beyond the file
        write_raw("huge_header.safetensors", huge + QByteArray("{}"));

        write_model("bad_json.safetensors", "{\"type\": \"Sequential\", ");
        write_model("unknown_type.safetensors",
                    R"({"type": "Sequential", "children": [["0", {"type": "Bogus"}]]})");
        write_model("unknown_arg.safetensors",
                    R"({"type": "Sequential", "children": [["0", {"type": "Linear",)"
                    R"( "in_features": 3, "out_features": 2, "colour": "red"}]]})");
        write_model("wrong_arg_type.safetensors",
                    R"({"type": "Linear", "in_features": "three", "out_features": 2})");
        write_model("wrong_shape.safetensors", kLinearArch, {{"0.weight", Tensor::zeros({3, 2})}});
        write_model("extra_tensor.safetensors", kLinearArch, {{"0.gamma", Tensor::zeros({2})}});
        write_model("bad_seed.safetensors", kLinearArch, {}, "-3");
        write_model("linear.safetensors", kLinearArch);
        write_model("module_list.safetensors",
                    R"({"type": "ModuleList", "children": [["0", {"type": "Linear",)"
                    R"( "in_features": 3, "out_features": 2}]]})");
        io::save_safetensors(path("plain.safetensors").toStdString(),
                             {{"weight", Tensor::zeros({2})}});

        io::save_safetensors(path("in_good.safetensors").toStdString(),
                             {{"input", Tensor::ones({4, 3})}});
        io::save_safetensors(path("in_wrong_shape.safetensors").toStdString(),
                             {{"input", Tensor::ones({4, 5})}});
        io::save_safetensors(path("in_nan.safetensors").toStdString(),
                             {{"input", Tensor::from_vector({1.0, NAN, 2.0}, {1, 3})}});
        io::save_safetensors(path("in_misnamed.safetensors").toStdString(),
                             {{"x", Tensor::ones({4, 3})}});
        io::save_safetensors(
            path("in_bad_grad.safetensors").toStdString(),
            {{"input", Tensor::ones({4, 3})}, {"grad_output", Tensor::ones({4, 7})}});
    }

    void errors_data() {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exit_code");
        QTest::addColumn<QStringList>("message"); // every part must appear on stderr

        auto run_args = [this](const char* model, const char* input) {
            return QStringList{QStringLiteral("run"),      path(model),
                               QStringLiteral("--input"),  path(input),
                               QStringLiteral("--output"), path("out.safetensors")};
        };
        auto summary = [this](const char* model) {
            return QStringList{QStringLiteral("summary"), path(model)};
        };
        auto parts = [](std::initializer_list<const char*> list) {
            QStringList out;
            for (const char* p : list)
                out << QString::fromUtf8(p);
            return out;
        };

        QTest::newRow("missing file")
            << summary("nope.safetensors") << 1 << parts({"nope.safetensors"});
        QTest::newRow("garbage") << summary("garbage.safetensors") << 1
                                 << parts({"garbage.safetensors"});
        QTest::newRow("empty") << summary("empty.safetensors") << 1 << parts({"empty.safetensors"});
        QTest::newRow("truncated")
            << summary("truncated.safetensors") << 1 << parts({"truncated.safetensors"});
        QTest::newRow("huge header")
            << summary("huge_header.safetensors") << 1 << parts({"huge_header.safetensors"});
        // summary lists any safetensors file; running one needs a native model.
        QTest::newRow("not a model") << run_args("plain.safetensors", "in_good.safetensors") << 1
                                     << parts({"not an nnscope model", "nnscope.architecture"});
        QTest::newRow("bad json") << summary("bad_json.safetensors") << 1
                                  << parts({"invalid JSON"});
        QTest::newRow("unknown type")
            << summary("unknown_type.safetensors") << 1 << parts({"module '0'", "Bogus"});
        QTest::newRow("unknown argument")
            << summary("unknown_arg.safetensors") << 1 << parts({"module '0' (Linear)", "colour"});
        QTest::newRow("wrong argument type") << summary("wrong_arg_type.safetensors") << 1
                                             << parts({"root module (Linear)", "in_features"});
        QTest::newRow("wrong tensor shape")
            << summary("wrong_shape.safetensors") << 1 << parts({"'0.weight'", "[3, 2]", "[2, 3]"});
        QTest::newRow("tensor not in model")
            << summary("extra_tensor.safetensors") << 1 << parts({"'0.gamma'", "0.weight"});
        QTest::newRow("bad seed") << summary("bad_seed.safetensors") << 1
                                  << parts({"nnscope.seed", "-3"});
        QTest::newRow("wrong input shape")
            << run_args("linear.safetensors", "in_wrong_shape.safetensors") << 1
            << parts({"module '0' (Linear)", "[4, 5]"});
        QTest::newRow("container without forward")
            << run_args("module_list.safetensors", "in_good.safetensors") << 1
            << parts({"root module (ModuleList)", "missing the required \"forward\""});
        QTest::newRow("nan input") << run_args("linear.safetensors", "in_nan.safetensors") << 1
                                   << parts({"NaN", "'input'"});
        QTest::newRow("missing input tensor")
            << run_args("linear.safetensors", "in_misnamed.safetensors") << 1
            << parts({"no tensor 'input'", "'x'"});
        QTest::newRow("bad grad_output")
            << run_args("linear.safetensors", "in_bad_grad.safetensors") +
                   QStringList{QStringLiteral("--backward")}
            << 1 << parts({"grad_output", "[4, 7]", "[4, 2]"});
        QTest::newRow("missing --output")
            << QStringList{QStringLiteral("run"), path("linear.safetensors"),
                           QStringLiteral("--input"), path("in_good.safetensors")}
            << 2 << parts({"--output"});
        QTest::newRow("unknown option")
            << summary("linear.safetensors") + QStringList{QStringLiteral("--colour")} << 2
            << parts({"--colour"});
        QTest::newRow("missing file argument")
            << QStringList{QStringLiteral("summary")} << 2 << parts({"missing FILE"});
        QTest::newRow("bench unknown kind")
            << QStringList{QStringLiteral("bench"), QStringLiteral("leap")} << 2 << parts({"leap"});
        QTest::newRow("bench bad steps")
            << QStringList{QStringLiteral("bench"), QStringLiteral("step"),
                           QStringLiteral("--steps"), QStringLiteral("many")}
            << 2 << parts({"--steps", "many"});
        QTest::newRow("bench missing model")
            << QStringList{QStringLiteral("bench"), QStringLiteral("step"),
                           QStringLiteral("--model"), path("nope.safetensors")}
            << 1 << parts({"nope.safetensors"});
    }

    void errors() {
        QFETCH(QStringList, arguments);
        QFETCH(int, exit_code);
        QFETCH(QStringList, message);
        const auto result = run_cli(arguments);
        QVERIFY2(!result.crashed, qPrintable(nnscope::test::describe(result)));
        QVERIFY2(result.exit_code == exit_code, qPrintable(nnscope::test::describe(result)));
        for (const auto& part : message)
            QVERIFY2(result.err.contains(part),
                     qPrintable(QStringLiteral("'%1' not in stderr: %2").arg(part, result.err)));
        QVERIFY(!QFile::exists(path("out.safetensors")));
    }

    // The same model and input without the defect works (the cases above fail for their reason).
    void control() {
        const auto result =
            run_cli({QStringLiteral("run"), path("linear.safetensors"), QStringLiteral("--input"),
                     path("in_good.safetensors"), QStringLiteral("--output"),
                     path("good_out.safetensors"), QStringLiteral("--backward")});
        NNSCOPE_EXPECT_CLI_OK(result);
        io::SafetensorsFile out(path("good_out.safetensors").toStdString());
        QCOMPARE(out.tensor("output").shape(), (Shape{4, 2}));
        QCOMPARE(out.tensor("grad.input").shape(), (Shape{4, 3}));
        QCOMPARE(out.tensor("grad.0.weight").shape(), (Shape{2, 3}));
    }
};

QTEST_GUILESS_MAIN(TestCliErrors)
#include "tst_cli_errors.moc"
