// `nnscope-cli run` on torchvision's resnet18 in all five formats (whole-model pickle, state_dict
// with --architecture torchvision:resnet18, traced and scripted TorchScript, ONNX) and squeezenet
// 1.1 as ONNX, from the folder PyTorch writes (tests/golden/gen_vision_models.py): the output and
// the input gradient within 1e-4 of PyTorch's (tests/golden/vision/M.safetensors) and the printed
// top-5 (of the pickle and the ONNX files) equal to PyTorch's, with ImageNet's class names. A
// format whose loader fails is a failure naming the file and the message, never a skip; only
// missing files skip.

#include "cli/cli_runner.h"
#include "cli/run_predictions.h"
#include "io/safetensors.h"
#include "support/golden.h"
#include "workflows/predictions.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using test::run_cli;

namespace {

const QString models = QStringLiteral(NNSCOPE_VISION_MODELS);

double scale_of(const Tensor& t) {
    double s = 0;
    for (double v : t.to_vector())
        s = std::max(s, std::abs(v));
    return s;
}

void compare_relative(const Tensor& actual, const Tensor& expected, const QString& what) {
    const double scale = std::max(scale_of(expected), 1e-12);
    QString why;
    if (!test::allclose(actual, expected, 1e-4 * scale, 0.0, &why))
        QFAIL(qPrintable(what + QStringLiteral(": ") + why));
}

} // namespace

class TestCliRunVision : public QObject {
    Q_OBJECT

private slots:
    void formats_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("architecture");
        for (const char* f : {"pickle.pt", "trace.pt", "script.pt", "onnx"})
            QTest::newRow(qPrintable(QStringLiteral("resnet18 ") + QLatin1String(f)))
                << QStringLiteral("resnet18") << QStringLiteral("resnet18.") + QLatin1String(f)
                << QString();
        QTest::newRow("resnet18 state_dict")
            << QStringLiteral("resnet18") << QStringLiteral("resnet18.state_dict.pt")
            << QStringLiteral("torchvision:resnet18");
        QTest::newRow("squeezenet1_1 onnx")
            << QStringLiteral("squeezenet1_1") << QStringLiteral("squeezenet1_1.onnx") << QString();
    }
    void formats() {
        QFETCH(QString, model);
        QFETCH(QString, file);
        QFETCH(QString, architecture);
        const QString path = models + u'/' + file;
        const QString input = models + u'/' + model + QStringLiteral(".input.safetensors");
        if (!QFileInfo::exists(path) || !QFileInfo::exists(input))
            QSKIP(qPrintable(QStringLiteral("no %1 in %2: the vision_models fixture (PyTorch) did "
                                            "not write it")
                                 .arg(file, models)));
        const test::GoldenFile golden("vision/" + model.toStdString() + ".safetensors");
        QStringList arch;
        if (!architecture.isEmpty()) arch << QStringLiteral("--architecture") << architecture;

        // Output and input gradient (backpropagating the file's grad_output).
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out.safetensors"));
        const auto r =
            run_cli(QStringList{QStringLiteral("run"), path, QStringLiteral("--input"), input,
                                QStringLiteral("--output"), out, QStringLiteral("--backward")} +
                    arch);
        NNSCOPE_EXPECT_CLI_OK(r);
        const io::SafetensorsFile written(out.toStdString());
        compare_relative(written.tensor("output"), golden.tensor("output"), file + " output");
        compare_relative(written.tensor("grad.input"), golden.tensor("grad.input"),
                         file + " input gradient");

        // The printed top-5, named: once per loader (a second run of each format would double
        // the test's time and check the same printing).
        if (!file.endsWith(QStringLiteral(".onnx")) && !file.endsWith(QStringLiteral("pickle.pt")))
            return;
        const auto p = run_cli(QStringList{QStringLiteral("run"), path, QStringLiteral("--input"),
                                           input, QStringLiteral("--topk"), QStringLiteral("5")} +
                               arch);
        NNSCOPE_EXPECT_CLI_OK(p);
        const auto names = workflows::imagenet_class_names(NNSCOPE_RESOURCES_DIR);
        const auto expected = workflows::top_k(golden.tensor("output"), 5, names);
        const auto rows = test::printed_predictions(p.out);
        QCOMPARE(rows.size(), std::size_t(5));
        for (std::size_t i = 0; i < 5; ++i) {
            QCOMPARE(rows[i].index, expected[i].index);
            QCOMPARE(rows[i].name, QString::fromStdString(expected[i].name));
            QVERIFY(std::abs(rows[i].probability - expected[i].probability) < 1e-5);
        }
    }
};

QTEST_GUILESS_MAIN(TestCliRunVision)
#include "tst_cli_run_vision.moc"
