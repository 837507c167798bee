// `nnscope-cli run` in its prediction mode on the bundled models (issue #16): the top-k table,
// the backward from a class score or the loss against PyTorch's values (tests/golden/run, made by
// gen_run.py), the saliency PNG, an image input with custom preprocessing, and the errors for
// every wrong combination of options.

#include "cli/cli_runner.h"
#include "cli/run_predictions.h"
#include "data/png_file.h"
#include "io/safetensors.h"
#include "support/golden.h"
#include "workflows/image_input.h"
#include "workflows/predictions.h"
#include "workflows/run_model.h"
#include "workflows/runnable_model.h"

#include <QTemporaryDir>
#include <QtTest>

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
        QTest::newRow("unknown input kind")
            << run({QStringLiteral("cnn"), QStringLiteral("--input"), QStringLiteral("cat.jpg")})
            << 2 << QStringLiteral("none of an image (.png)");
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
