// `nnscope-cli run` in its prediction mode on the bundled models (issue #16): the top-k table,
// the backward from a class score or the loss against PyTorch's values (tests/golden/run, made by
// gen_run.py), the saliency PNG, an image input with custom preprocessing, and the errors for
// every wrong combination of options; a data set sample as the input (--dataset/--sample) with
// its label and the data set's class names.

#include "cli/cli_runner.h"
#include "cli/run_predictions.h"
#include "data/loader_config_json.h"
#include "data/png_file.h"
#include "io/safetensors.h"
#include "support/golden.h"
#include "workflows/image_input.h"
#include "workflows/predictions.h"
#include "workflows/run_input.h"
#include "workflows/run_model.h"
#include "workflows/runnable_model.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <nlohmann/json.hpp>

using namespace nnscope;
using test::run_cli;

namespace {

QString golden_path(const char* name) {
    return QStringLiteral(NNSCOPE_GOLDEN_DIR "/") + name;
}

// The golden input alone as IN.safetensors.
QString input_file(const QTemporaryDir& dir, const char* model) {
    const test::GoldenFile golden(std::string("run/") + model + ".safetensors");
    const QString path = dir.filePath(QStringLiteral("%1.in.safetensors").arg(model));
    io::save_safetensors(path.toStdString(), {{"input", golden.tensor("input")}});
    return path;
}

} // namespace

class TestCliRunInspect : public QObject {
    Q_OBJECT

private slots:
    void topkAndClassScore() {
        QTemporaryDir dir;
        const test::GoldenFile golden("run/cnn.safetensors");
        const QString saliency = dir.filePath(QStringLiteral("s.png"));
        const auto r =
            run_cli({QStringLiteral("run"), QStringLiteral("cnn"), QStringLiteral("--input"),
                     input_file(dir, "cnn"), QStringLiteral("--topk"), QStringLiteral("3"),
                     QStringLiteral("--target"), QStringLiteral("3"), QStringLiteral("--saliency"),
                     saliency});
        NNSCOPE_EXPECT_CLI_OK(r);
        const auto rows = test::printed_predictions(r.out);
        QCOMPARE(rows.size(), std::size_t(3));
        const auto expected = workflows::top_k(golden.tensor("output"), 3);
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(rows[i].rank, int(i) + 1);
            QCOMPARE(rows[i].index, expected[i].index);
            QVERIFY(std::abs(rows[i].probability - expected[i].probability) < 2e-6);
            QVERIFY(rows[i].name.isEmpty()); // ten classes: no names
        }
        const double score = golden.tensor("output").select(1, 3).item();
        QVERIFY2(r.out.contains(QStringLiteral("score of class 3: ")), qPrintable(r.out));
        const double printed =
            r.out.section(QStringLiteral("score of class 3: "), 1).section(u'\n', 0, 0).toDouble();
        QVERIFY(std::abs(printed - score) < 1e-4 * std::max(1.0, std::abs(score)));
        // The saliency PNG: max |grad| over the one channel, scaled to 255 at its maximum.
        const Tensor png = data::read_png(saliency.toStdString());
        QCOMPARE(png.shape(), (Shape{1, 28, 28}));
        const Tensor expected_png =
            workflows::saliency_image(workflows::saliency_map(golden.tensor("score.grad.input")));
        const auto a = png.to_vector(), b = expected_png.to_vector();
        for (std::size_t i = 0; i < a.size(); ++i)
            QVERIFY(std::abs(a[i] - b[i]) <= 1.0);
        QCOMPARE(*std::max_element(a.begin(), a.end()), 255.0);
    }

    void lossAgainstLabel() {
        QTemporaryDir dir;
        const test::GoldenFile golden("run/mlp.safetensors");
        const QString out = dir.filePath(QStringLiteral("out.safetensors"));
        const auto r =
            run_cli({QStringLiteral("run"), QStringLiteral("mlp"), QStringLiteral("--input"),
                     input_file(dir, "mlp"), QStringLiteral("--label"), QStringLiteral("7"),
                     QStringLiteral("--output"), out});
        NNSCOPE_EXPECT_CLI_OK(r);
        const double loss = r.out.section(QStringLiteral("loss against label 7: "), 1)
                                .section(u'\n', 0, 0)
                                .toDouble();
        QVERIFY2(std::abs(loss - golden.tensor("loss.value").item()) < 1e-5, qPrintable(r.out));
        // --output holds the output and the input gradient of the loss.
        const io::SafetensorsFile written(out.toStdString());
        NNSCOPE_COMPARE_TENSORS(written.tensor("output"), golden.tensor("output"), 1e-5, 1e-4);
        NNSCOPE_COMPARE_TENSORS(written.tensor("grad.input"), golden.tensor("loss.grad.input"),
                                1e-7, 1e-4);
        // The default k is 5.
        QCOMPARE(test::printed_predictions(r.out).size(), std::size_t(5));
    }

    // A PNG for the one-channel cnn: grey, resized to 28 and cropped, not normalised.
    void imageInput() {
        const QString photo = golden_path("image_input/photo.png");
        const auto r =
            run_cli({QStringLiteral("run"), QStringLiteral("cnn"), QStringLiteral("--input"), photo,
                     QStringLiteral("--resize"), QStringLiteral("28"), QStringLiteral("--crop"),
                     QStringLiteral("28"), QStringLiteral("--mean"), QStringLiteral("0.5"),
                     QStringLiteral("--std"), QStringLiteral("0.25"), QStringLiteral("--topk"),
                     QStringLiteral("10")});
        NNSCOPE_EXPECT_CLI_OK(r);
        QVERIFY2(r.out.contains(QStringLiteral("input: photo.png, [1, 1, 28, 28]")),
                 qPrintable(r.out));
        auto model = workflows::open_runnable_model("cnn");
        const Tensor x =
            workflows::image_file_input(photo.toStdString(), {28, 28, {0.5}, {0.25}}, 1);
        const auto expected = workflows::top_k(workflows::run_model(*model.module, x).output, 10);
        const auto rows = test::printed_predictions(r.out);
        QCOMPARE(rows.size(), std::size_t(10));
        for (std::size_t i = 0; i < rows.size(); ++i)
            QCOMPARE(rows[i].index, expected[i].index);
    }

    void randomInput() {
        const auto r =
            run_cli({QStringLiteral("run"), QStringLiteral("cnn"), QStringLiteral("--input"),
                     QStringLiteral("random"), QStringLiteral("--seed"), QStringLiteral("3")});
        NNSCOPE_EXPECT_CLI_OK(r);
        QVERIFY2(r.out.contains(QStringLiteral("input: randn[1, 1, 28, 28] seed 3")),
                 qPrintable(r.out));
        // The same seed prints the same table.
        const auto again =
            run_cli({QStringLiteral("run"), QStringLiteral("cnn"), QStringLiteral("--input"),
                     QStringLiteral("random"), QStringLiteral("--seed"), QStringLiteral("3")});
        QCOMPARE(again.out, r.out);
    }

    // A JPEG as the PNG is: read by its content, preprocessed the same way.
    void jpegInput() {
        const QString jpeg = golden_path("jpeg/rgb.jpg");
        const auto r =
            run_cli({QStringLiteral("run"), QStringLiteral("cnn"), QStringLiteral("--input"), jpeg,
                     QStringLiteral("--resize"), QStringLiteral("28"), QStringLiteral("--crop"),
                     QStringLiteral("28"), QStringLiteral("--topk"), QStringLiteral("10")});
        NNSCOPE_EXPECT_CLI_OK(r);
        QVERIFY2(r.out.contains(QStringLiteral("input: rgb.jpg, [1, 1, 28, 28]")),
                 qPrintable(r.out));
        auto model = workflows::open_runnable_model("cnn");
        const Tensor x = workflows::image_file_input(jpeg.toStdString(), {28, 28, {0.0}, {1.0}}, 1);
        const auto expected = workflows::top_k(workflows::run_model(*model.module, x).output, 10);
        const auto rows = test::printed_predictions(r.out);
        QCOMPARE(rows.size(), std::size_t(10));
        for (std::size_t i = 0; i < rows.size(); ++i)
            QCOMPARE(rows[i].index, expected[i].index);
    }

    // MNIST's test split (../shared) through a DataLoader configuration: the sample the data
    // set gives, its label printed with its name, the classes named as MNIST names them.
    void datasetSample() {
        if (!test::haveShared("datasets/mnist"))
            QSKIP("../shared/datasets/mnist is absent (set NNSCOPE_SHARED_DIR to the shared "
                  "folder to use it)");
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("mnist.json"));
        const std::string spec = "mnist:" + (test::sharedDir() + "/datasets/mnist").toStdString();
        {
            QFile f(config);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray::fromStdString(
                nlohmann::json{{"dataset", spec}, {"split", "test"}}.dump()));
        }
        const auto r = run_cli({QStringLiteral("run"), QStringLiteral("cnn"),
                                QStringLiteral("--dataset"), config, QStringLiteral("--sample"),
                                QStringLiteral("12"), QStringLiteral("--topk"), QStringLiteral("3"),
                                QStringLiteral("--label"), QStringLiteral("9")});
        NNSCOPE_EXPECT_CLI_OK(r);
        const auto in =
            workflows::dataset_run_input(data::loader_config_from_file(config.toStdString()), 12);
        QVERIFY(in.label.has_value());
        QCOMPARE(in.class_names.size(), std::size_t(10));
        QVERIFY2(r.out.contains(QStringLiteral("input: MNIST #12, [1, 1, 28, 28]")),
                 qPrintable(r.out));
        const auto label = static_cast<std::size_t>(*in.label);
        QVERIFY2(r.out.contains(QStringLiteral("label: %1 (%2)")
                                    .arg(*in.label)
                                    .arg(QString::fromStdString(in.class_names[label]))),
                 qPrintable(r.out));
        auto model = workflows::open_runnable_model("cnn");
        const auto expected =
            workflows::top_k(workflows::run_model(*model.module, in.input).output, 3);
        const auto rows = test::printed_predictions(r.out);
        QCOMPARE(rows.size(), std::size_t(3));
        for (std::size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(rows[i].index, expected[i].index);
            QCOMPARE(rows[i].name.toStdString(),
                     in.class_names[static_cast<std::size_t>(expected[i].index)]);
        }
        QVERIFY2(r.out.contains(QStringLiteral("loss against label 9: ")), qPrintable(r.out));
    }

    // A sample outside the data set, a configuration that is not one, --input with --dataset.
    void datasetErrors_data() {
        QTest::addColumn<QString>("config");
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<int>("exit_code");
        QTest::addColumn<QString>("message");
        const QString range = QStringLiteral(R"({"dataset": "range:25"})");
        QTest::newRow("sample out of range")
            << range << QStringList{QStringLiteral("--sample"), QStringLiteral("25")} << 1
            << QStringLiteral("sample 25 is out of range: RangeDataset has 25 samples (0 to 24)");
        QTest::newRow("not JSON") << QStringLiteral("{dataset") << QStringList{} << 2
                                  << QStringLiteral("not valid JSON");
        QTest::newRow("unknown key") << QStringLiteral(R"({"dataset": "range:25", "colour": 1})")
                                     << QStringList{} << 2 << QStringLiteral("colour");
        QTest::newRow("with --input")
            << range << QStringList{QStringLiteral("--input"), QStringLiteral("random")} << 2
            << QStringLiteral("--input and --dataset exclude each other");
    }
    void datasetErrors() {
        QFETCH(QString, config);
        QFETCH(QStringList, extra);
        QFETCH(int, exit_code);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.json"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(config.toUtf8());
        }
        const auto r = run_cli(QStringList{QStringLiteral("run"), QStringLiteral("cnn"),
                                           QStringLiteral("--dataset"), path} +
                               extra);
        QVERIFY2(!r.crashed, qPrintable(test::describe(r)));
        QCOMPARE(r.exit_code, exit_code);
        QVERIFY2(r.err.contains(message), qPrintable(test::describe(r)));
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exit_code");
        QTest::addColumn<QString>("message");
        const QString in = golden_path("run/cnn.safetensors");
        const QString photo = golden_path("image_input/photo.png");
        auto run = [](QStringList rest) { return QStringList{QStringLiteral("run")} + rest; };
        QTest::newRow("target and label")
            << run({QStringLiteral("cnn"), QStringLiteral("--input"), QStringLiteral("random"),
                    QStringLiteral("--target"), QStringLiteral("1"), QStringLiteral("--label"),
                    QStringLiteral("2")})
            << 2 << QStringLiteral("--target and --label exclude each other");
        QTest::newRow("saliency without backward")
            << run({QStringLiteral("cnn"), QStringLiteral("--input"), QStringLiteral("random"),
                    QStringLiteral("--saliency"), QStringLiteral("x.png")})
            << 2 << QStringLiteral("--saliency needs a backward");
        QTest::newRow("unknown preset")
            << run({QStringLiteral("cnn"), QStringLiteral("--input"), photo,
                    QStringLiteral("--preset"), QStringLiteral("cifar")})
            << 2 << QStringLiteral("unknown preset 'cifar' (known: imagenet, none)");
        QTest::newRow("topk 0")
            << run({QStringLiteral("cnn"), QStringLiteral("--input"), QStringLiteral("random"),
                    QStringLiteral("--topk"), QStringLiteral("0")})
            << 2 << QStringLiteral("--topk: '0' is not a whole number of at least 1");
        QTest::newRow("bad mean") << run({QStringLiteral("cnn"), QStringLiteral("--input"), photo,
                                          QStringLiteral("--mean"), QStringLiteral("0.5,x")})
                                  << 2 << QStringLiteral("--mean: '0.5,x' is not a number");
        QTest::newRow("missing input")
            << run({QStringLiteral("cnn"), QStringLiteral("--topk"), QStringLiteral("2")}) << 2
            << QStringLiteral("missing --input");
        QTest::newRow("sample without dataset")
            << run({QStringLiteral("cnn"), QStringLiteral("--input"), QStringLiteral("random"),
                    QStringLiteral("--sample"), QStringLiteral("3")})
            << 2 << QStringLiteral("--sample N needs --dataset CONFIG.json");
        QTest::newRow("not an image")
            << run({QStringLiteral("cnn"), QStringLiteral("--input"), golden_path("gen_jpeg.py")})
            << 1 << QStringLiteral("is neither a PNG nor a JPEG image");
        QTest::newRow("missing jpeg")
            << run({QStringLiteral("cnn"), QStringLiteral("--input"), QStringLiteral("cat.jpg")})
            << 1 << QStringLiteral("cannot read 'cat.jpg'");
        QTest::newRow("class out of range")
            << run({QStringLiteral("cnn"), QStringLiteral("--input"), QStringLiteral("random"),
                    QStringLiteral("--target"), QStringLiteral("10")})
            << 1 << QStringLiteral("the class 10 is outside the model's 10 classes (0..9)");
        QTest::newRow("backward flag in prediction mode")
            << run({QStringLiteral("cnn"), QStringLiteral("--input"), QStringLiteral("random"),
                    QStringLiteral("--backward")})
            << 2 << QStringLiteral("--backward, --train, --trace-hooks and --save-state need");
        QTest::newRow("state_dict without architecture")
            << run({in, QStringLiteral("--input"), QStringLiteral("random")}) << 1
            << QStringLiteral("pair it with an architecture: --architecture");
        QTest::newRow("wrong input shape")
            << run({QStringLiteral("mlp"), QStringLiteral("--input"), photo}) << 1
            << QStringLiteral("module '1' (Linear) on input [1, 150528]");
        QTest::newRow("missing png") << run({QStringLiteral("cnn"), QStringLiteral("--input"),
                                             QStringLiteral("/nonexistent.png")})
                                     << 1 << QStringLiteral("/nonexistent.png");
        QTest::newRow("tensor file without --output or --topk")
            << run({QStringLiteral("cnn"), QStringLiteral("--input"), in}) << 2
            << QStringLiteral("missing --output OUT.safetensors (or --topk K");
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(int, exit_code);
        QFETCH(QString, message);
        const auto r = run_cli(args);
        QVERIFY2(!r.crashed, qPrintable(test::describe(r)));
        QCOMPARE(r.exit_code, exit_code);
        QVERIFY2(r.err.contains(message), qPrintable(test::describe(r)));
    }
};

QTEST_GUILESS_MAIN(TestCliRunInspect)
#include "tst_cli_run_inspect.moc"
