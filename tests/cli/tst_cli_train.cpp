// nnscope-cli train on small learnable data sets the test writes (IDX images, AG_NEWS-style
// CSV): the final JSON line, accuracy above chance, --out writing a loadable native model,
// determinism, workers not changing the result, and errors for bad arguments.

#include "cli/cli_runner.h"
#include "data/text/ag_news.h"
#include "data/text/vocab_metadata.h"
#include "io/native_model.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <random>

using namespace nnscope;
using test::run_cli;

namespace {

void put_u32(std::ofstream& out, std::uint32_t v) {
    const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                           static_cast<char>(v >> 8), static_cast<char>(v)};
    out.write(bytes, 4);
}

// n images of class label % 4: a bright 7x7 block in one of four places, on uniform noise.
void write_split(const QString& dir, const char* prefix, int n, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::ofstream images((dir + "/" + prefix + "-images-idx3-ubyte").toStdString(),
                         std::ios::binary);
    std::ofstream labels((dir + "/" + prefix + "-labels-idx1-ubyte").toStdString(),
                         std::ios::binary);
    put_u32(images, 2051);
    put_u32(images, static_cast<std::uint32_t>(n));
    put_u32(images, 28);
    put_u32(images, 28);
    put_u32(labels, 2049);
    put_u32(labels, static_cast<std::uint32_t>(n));
    for (int i = 0; i < n; ++i) {
        const int label = static_cast<int>(rng() % 4);
        const int top = label / 2 * 14 + 3, left = label % 2 * 14 + 3;
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) {
                const bool in_block = y >= top && y < top + 7 && x >= left && x < left + 7;
                const auto noise = static_cast<int>(rng() % 120);
                images.put(static_cast<char>(in_block ? 135 + noise : noise));
            }
        labels.put(static_cast<char>(label));
    }
}

// AG_NEWS rows whose words tell the class.
void write_news(const QString& path, int n, std::uint32_t seed) {
    static const char* words[4][3] = {{"election", "minister", "war"},
                                      {"goal", "match", "coach"},
                                      {"shares", "profit", "market"},
                                      {"software", "space", "chip"}};
    std::mt19937 rng(seed);
    std::ofstream out(path.toStdString(), std::ios::binary);
    for (int i = 0; i < n; ++i) {
        const auto c = rng() % 4;
        out << '"' << c + 1 << "\",\"The " << words[c][rng() % 3] << ", \"\"today\"\"\",\"A "
            << words[c][rng() % 3] << " and the " << words[(c + 1) % 4][rng() % 3] << ".\"\n";
    }
}

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
        write_split(images_, "train", 256, 1);
        write_split(images_, "t10k", 96, 2);
        write_news(news_ + "/train.csv", 256, 3);
        write_news(news_ + "/test.csv", 64, 4);
    }

    void mlpLearnsAndSaves() {
        const QString out = dir_.filePath("mlp.safetensors");
        const auto r = run_cli({"train", "--model", "mlp", "--dataset", "mnist:" + images_,
                                "--epochs", "2", "--batch-size", "32", "--lr", "0.05", "--momentum",
                                "0.9", "--seed", "1", "--out", out, "--json"});
        NNSCOPE_EXPECT_CLI_OK(r);
        const QJsonObject j = lastJson(r);
        for (const char* key : {"test_accuracy", "samples_per_second", "epochs", "train_loss"})
            QVERIFY2(j.contains(key), key);
        QCOMPARE(j["epochs"].toInt(), 2);
        QCOMPARE(j["train_samples"].toInt(), 256);
        QCOMPARE(j["test_samples"].toInt(), 96);
        QVERIFY(j["samples_per_second"].toDouble() > 0);
        QVERIFY(std::isfinite(j["train_loss"].toDouble()));
        QVERIFY2(j["test_accuracy"].toDouble() > 0.6, qPrintable(r.out)); // chance is 0.25

        // The file is a native model with the trained weights, not the seeded init.
        const io::NativeModel saved = io::load_native_model(out.toStdString());
        QCOMPARE(saved.loaded_keys.size(), std::size_t{6});
        QVERIFY(saved.initialised_keys.empty());
        const io::NativeModel init = io::build_native_model(saved.architecture, 1);
        const Tensor a = saved.module->state_dict().at("1.weight");
        const Tensor b = init.module->state_dict().at("1.weight");
        QCOMPARE(a.shape(), b.shape());
        QVERIFY(a.to_vector() != b.to_vector());
        QVERIFY(saved.metadata.count("nnscope.training"));

        // Training the saved file further works too (FILE as --model).
        const auto again = run_cli(
            {"train", "--model", out, "--dataset", "mnist:" + images_, "--limit", "64", "--json"});
        NNSCOPE_EXPECT_CLI_OK(again);
        QVERIFY(lastJson(again)["test_accuracy"].toDouble() > 0.5);
    }

    void sameSeedSameRunWorkersIncluded() {
        const QStringList common{
            "train",   "--model", "mlp",          "--dataset", "mnist:" + images_,
            "--limit", "96",      "--batch-size", "16",        "--seed",
            "7",       "--json"};
        const auto a = run_cli(common);
        const auto b = run_cli(common + QStringList{"--num-workers", "2"});
        NNSCOPE_EXPECT_CLI_OK(a);
        NNSCOPE_EXPECT_CLI_OK(b);
        QCOMPARE(lastJson(a)["train_loss"].toDouble(), lastJson(b)["train_loss"].toDouble());
        QCOMPARE(lastJson(a)["test_loss"].toDouble(), lastJson(b)["test_loss"].toDouble());
        QCOMPARE(lastJson(a)["train_samples"].toInt(), 96);
    }

    // --transform runs the pipeline on each training image: a flip that never fires (p=0 still
    // draws, after the sampler seeded itself) changes nothing, one that always fires does.
    void transformAppliesToTrainingImages() {
        const QStringList common{
            "train",   "--model", "mlp",          "--dataset", "mnist:" + images_,
            "--limit", "64",      "--batch-size", "16",        "--json"};
        const auto plain = run_cli(common);
        const auto never =
            run_cli(common + QStringList{"--transform", "RandomHorizontalFlip(0.0)"});
        const auto always =
            run_cli(common + QStringList{"--transform",
                                         "Compose([RandomHorizontalFlip(1.0), RandomCrop(28)])"});
        NNSCOPE_EXPECT_CLI_OK(plain);
        NNSCOPE_EXPECT_CLI_OK(never);
        NNSCOPE_EXPECT_CLI_OK(always);
        QCOMPARE(lastJson(never)["train_loss"].toDouble(),
                 lastJson(plain)["train_loss"].toDouble());
        QVERIFY(lastJson(always)["train_loss"].toDouble() !=
                lastJson(plain)["train_loss"].toDouble());
        // The test split is never transformed: the flipped run is evaluated on plain images.
        QCOMPARE(lastJson(always)["test_samples"].toInt(), 64);
    }

    void textClassifierLearns() {
        const QString out = dir_.filePath("textcls.safetensors");
        const auto r =
            run_cli({"train", "--model", "textcls", "--dataset", "ag-news:" + news_, "--epochs",
                     "5", "--batch-size", "16", "--lr", "5", "--out", out, "--json"});
        NNSCOPE_EXPECT_CLI_OK(r);
        const QJsonObject j = lastJson(r);
        QVERIFY(j["vocab_size"].toInt() > 10);
        QCOMPARE(j["test_samples"].toInt(), 64);
        QVERIFY2(j["test_accuracy"].toDouble() > 0.6, qPrintable(r.out));
        const io::NativeModel saved = io::load_native_model(out.toStdString());
        const auto state = saved.module->state_dict();
        QVERIFY(state.contains("embedding.weight") && state.contains("fc.weight"));
        QCOMPARE(state.at("embedding.weight").size(0),
                 static_cast<std::int64_t>(j["vocab_size"].toInt()));
        QCOMPARE(state.at("fc.weight").shape(), (Shape{4, 64}));

        // The file keeps the vocabulary its ids come from: the one torchtext's recipe builds from
        // the training rows (<unk>, <pad>, then tokens by frequency), unknown tokens -> <unk>.
        const std::optional<data::Vocab> vocab = data::read_vocab_metadata(saved.metadata);
        QVERIFY(vocab.has_value());
        const data::Vocab expected =
            data::build_text_vocab(*data::open_ag_news(news_.toStdString()).train);
        QCOMPARE(vocab->itos(), expected.itos());
        QCOMPARE(vocab->size(), static_cast<std::int64_t>(j["vocab_size"].toInt()));
        QCOMPARE(vocab->lookup_token(0), std::string("<unk>"));
        QCOMPARE(vocab->default_index(), std::optional<std::int64_t>(0));
        QVERIFY(vocab->contains("election") && vocab->contains("software"));
        QCOMPARE(saved.metadata.at("nnscope.tokenizer"), std::string("basic_english"));

        // A later run on fewer rows (whose own vocabulary would be smaller) tokenizes with the
        // model's vocabulary, so its embedding rows keep their meaning.
        const auto again = run_cli(
            {"train", "--model", out, "--dataset", "ag-news:" + news_, "--limit", "8", "--json"});
        NNSCOPE_EXPECT_CLI_OK(again);
        QCOMPARE(lastJson(again)["vocab_size"].toInt(), j["vocab_size"].toInt());
    }

    void progressOnStderr() {
        const auto r = run_cli({"train", "--model", "mlp", "--dataset", "mnist:" + images_,
                                "--limit", "64", "--batch-size", "16", "--progress-every", "2"});
        NNSCOPE_EXPECT_CLI_OK(r);
        QVERIFY2(r.err.contains("epoch 1/1  batch 2/4  loss "), qPrintable(r.err));
        QVERIFY2(r.err.contains("batch 4/4"), qPrintable(r.err));
        QVERIFY2(r.out.contains("test accuracy "), qPrintable(r.out));
        QVERIFY2(r.out.contains("samples/s"), qPrintable(r.out));
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
                               << "unexpected argument '--shuffle'";
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
