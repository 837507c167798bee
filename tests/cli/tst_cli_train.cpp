// nnscope-cli train as a user runs it: its options reach workflows::TrainingRun (the printed
// numbers are the library's), the JSON line and --out, progress on stderr, and every usage
// error with its exit code. The training itself is tested in tests/workflows/tst_training_run.

#include "cli/cli_runner.h"
#include "io/native_model.h"
#include "workflows/learnable_data.h"
#include "workflows/training_run.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using test::run_cli;

namespace {

QJsonObject lastJson(const test::CliResult& r) {
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    return lines.isEmpty() ? QJsonObject()
                           : QJsonDocument::fromJson(lines.last().toUtf8()).object();
}

} // namespace

class TestCliTrain : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString images_, news_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        images_ = dir_.filePath("idx");
        news_ = dir_.filePath("news");
        QVERIFY(QDir().mkpath(images_) && QDir().mkpath(news_));
        test::write_learnable_data(dir_.path().toStdString());
    }

    // The options become this TrainingConfig; the JSON line reports the library's numbers.
    void optionsReachTheLibrary() {
        const QString out = dir_.filePath("mlp.safetensors");
        const auto r = run_cli({"train",
                                "--model",
                                "mlp",
                                "--dataset",
                                "mnist:" + images_,
                                "--epochs",
                                "2",
                                "--batch-size",
                                "32",
                                "--lr",
                                "0.05",
                                "--momentum",
                                "0.9",
                                "--seed",
                                "1",
                                "--num-workers",
                                "2",
                                "--limit",
                                "128",
                                "--out",
                                out,
                                "--json"});
        NNSCOPE_EXPECT_CLI_OK(r);
        workflows::TrainingConfig c;
        c.model = "mlp";
        c.loader.dataset = "mnist:" + images_.toStdString();
        c.loader.epochs = 2;
        c.loader.batch_size = 32;
        c.loader.num_workers = 2;
        c.optimizer.lr = 0.05;
        c.optimizer.momentum = 0.9;
        c.seed = 1;
        workflows::limit_samples(c, 128);
        workflows::TrainingRun run(c);
        std::optional<workflows::EpochResult> last;
        while (auto e = run.run_epoch())
            last = e;
        const workflows::Evaluation test = run.evaluate();

        const QJsonObject j = lastJson(r);
        QCOMPARE(j["train_loss"].toDouble(), last->mean_loss);
        QCOMPARE(j["test_loss"].toDouble(), test.loss);
        QCOMPARE(j["test_accuracy"].toDouble(), test.accuracy);
        QCOMPARE(j["epochs"].toInt(), 2);
        QCOMPARE(j["lr"].toDouble(), 0.05);
        QCOMPARE(j["momentum"].toDouble(), 0.9);
        QCOMPARE(j["num_workers"].toInt(), 2);
        QCOMPARE(j["train_samples"].toInt(), 128);
        QCOMPARE(j["test_samples"].toInt(), 96);
        QVERIFY(j["samples_per_second"].toDouble() > 0);
        QCOMPARE(j["out"].toString(), out);
        const io::NativeModel saved = io::load_native_model(out.toStdString());
        QCOMPARE(saved.seed, std::uint64_t{1});
        const auto training = QJsonDocument::fromJson(
            QByteArray::fromStdString(saved.metadata.at("nnscope.training")));
        QCOMPARE(training["train_loss"].toDouble(), last->mean_loss);
    }

    void textJsonHasTheVocabularySize() {
        const auto r = run_cli({"train", "--model", "textcls", "--dataset", "ag-news:" + news_,
                                "--limit", "32", "--json"});
        NNSCOPE_EXPECT_CLI_OK(r);
        QCOMPARE(lastJson(r)["vocab_size"].toInt(), 20);
    }

    void progressOnStderr() {
        const auto r = run_cli({"train", "--model", "mlp", "--dataset", "mnist:" + images_,
                                "--limit", "64", "--batch-size", "16", "--progress-every", "2"});
        NNSCOPE_EXPECT_CLI_OK(r);
        QVERIFY2(r.err.contains("MNIST from " + images_), qPrintable(r.err));
        QVERIFY2(r.err.contains("epoch 1/1  batch 2/4  loss "), qPrintable(r.err));
        QVERIFY2(r.err.contains("batch 4/4"), qPrintable(r.err));
        QVERIFY2(r.out.startsWith("test accuracy "), qPrintable(r.out));
        QVERIFY2(r.out.contains(" (64 samples), test loss "), qPrintable(r.out));
        QVERIFY2(r.out.contains("samples/s (64 samples in "), qPrintable(r.out));
    }

    void divergingLossNamesTheOption() {
        const auto r = run_cli({"train", "--model", "mlp", "--dataset", "mnist:" + images_,
                                "--limit", "64", "--batch-size", "16", "--lr", "1e30"});
        QCOMPARE(r.exit_code, 1);
        QVERIFY2(r.err.contains("error: train: the loss became "), qPrintable(r.err));
        QVERIFY2(r.err.contains(" in epoch 1, batch "), qPrintable(r.err));
        QVERIFY2(r.err.contains("(try a smaller --lr)"), qPrintable(r.err));
    }

    void badArguments_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exit_code");
        QTest::addColumn<QString>("message");
        const QString data = "mnist:" + images_;
        QTest::newRow("unknown model") << QStringList{"--model", "resnet", "--dataset", data} << 2
                                       << "unknown --model 'resnet'";
        QTest::newRow("lr zero") << QStringList{"--model", "mlp", "--dataset", data, "--lr", "0"}
                                 << 2 << "--lr must be a positive number, got 0";
        QTest::newRow("lr negative")
            << QStringList{"--model", "mlp", "--dataset", data, "--lr", "-0.1"} << 2
            << "--lr must be a positive number";
        QTest::newRow("lr text") << QStringList{"--model", "mlp", "--dataset", data, "--lr", "x"}
                                 << 2 << "--lr expects a number, got 'x'";
        QTest::newRow("epochs 0") << QStringList{"--model", "mlp",      "--dataset",
                                                 data,      "--epochs", "0"}
                                  << 2 << "--epochs must be at least 1, got 0";
        QTest::newRow("no dataset")
            << QStringList{"--model", "mlp"} << 2 << "train needs --dataset";
        QTest::newRow("no model") << QStringList{"--dataset", data} << 2 << "train needs --model";
        QTest::newRow("missing dataset")
            << QStringList{"--model", "mlp", "--dataset", "mnist:" + dir_.filePath("none")} << 1
            << "error:";
        QTest::newRow("unknown dataset") << QStringList{"--model", "mlp", "--dataset", "cifar"} << 2
                                         << "unknown --dataset 'cifar'";
        QTest::newRow("optimizer")
            << QStringList{"--model", "mlp", "--dataset", data, "--optimizer", "lbfgs"} << 2
            << "unknown --optimizer 'lbfgs'";
        QTest::newRow("adam momentum") << QStringList{"--model",     "mlp",  "--dataset",  data,
                                                      "--optimizer", "adam", "--momentum", "0.9"}
                                       << 2 << "--momentum applies to --optimizer sgd only";
        QTest::newRow("textcls on images") << QStringList{"--model", "textcls", "--dataset", data}
                                           << 2 << "--model textcls needs a text data set";
        QTest::newRow("mlp on text")
            << QStringList{"--model", "mlp", "--dataset", "ag-news:" + news_} << 2
            << "--model mlp takes images";
        QTest::newRow("batch size")
            << QStringList{"--model", "mlp", "--dataset", data, "--batch-size", "0"} << 2
            << "--batch-size must be at least 1";
        QTest::newRow("bad transform")
            << QStringList{"--model", "mlp", "--dataset", data, "--transform", "RandomCrop(28"} << 2
            << "--transform:";
        QTest::newRow("transform on text")
            << QStringList{"--model",          "textcls",     "--dataset",
                           "ag-news:" + news_, "--transform", "RandomHorizontalFlip()"}
            << 2 << "--transform applies to image data sets";
        QTest::newRow("stray") << QStringList{"--model", "mlp", "--dataset", data, "--shuffle"} << 2
                               << "unknown option '--shuffle'";
    }

    void badArguments() {
        QFETCH(QStringList, args);
        QFETCH(int, exit_code);
        QFETCH(QString, message);
        const auto r = run_cli(QStringList{"train"} + args);
        QVERIFY2(!r.crashed, qPrintable(test::describe(r)));
        QCOMPARE(r.exit_code, exit_code);
        QVERIFY2(r.err.contains(message), qPrintable(test::describe(r)));
        QVERIFY(r.out.isEmpty());
    }

    void help() {
        const auto r = run_cli({"train", "--help"});
        NNSCOPE_EXPECT_CLI_OK(r);
        QVERIFY(r.out.contains("--model mlp|cnn|textcls|FILE"));
    }
};

QTEST_GUILESS_MAIN(TestCliTrain)
#include "tst_cli_train.moc"
