// nnscope-cli loader's configuration as a file: every option reaches its field (the JSON
// --save-config writes is the configuration expected), --save-config then --config prints the
// same batches, and --config's errors name the file and the JSON field.

#include "cli/cli_runner.h"
#include "data/loader_config_json.h"
#include "data/mnist.h"
#include "loader_config_test.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

using namespace nnscope;
using namespace nnscope::data;

namespace {

DataLoaderConfig readSaved(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return loader_config_from_json(nlohmann::json::parse(f.readAll().toStdString()));
}

void write(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

} // namespace

class TestCliLoaderConfig : public QObject {
    Q_OBJECT

private slots:
    void everyOptionSetsItsField_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<DataLoaderConfig>("config");
        DataLoaderConfig c;
        c.dataset = "range:30:mod=3";
        c.test_split = true;
        SubsetArgs range;
        range.range = std::pair<std::int64_t, std::int64_t>{2, 20};
        c.part = range;
        c.batch_size = 3;
        c.shuffle = true;
        c.drop_last = true;
        c.num_workers = 2;
        c.pin_memory = true;
        c.timeout = 2.5;
        c.worker_init_fn = WorkerInitChoice::SeedNumpy;
        c.generator_seed = 7;
        c.prefetch_factor = 4;
        c.persistent_workers = true;
        c.epochs = 2;
        QTest::newRow("loader arguments") << QStringList{"--dataset",
                                                         "range:30:mod=3",
                                                         "--split",
                                                         "test",
                                                         "--subset-range",
                                                         "2:20",
                                                         "--batch-size",
                                                         "3",
                                                         "--shuffle",
                                                         "--drop-last",
                                                         "--num-workers",
                                                         "2",
                                                         "--pin-memory",
                                                         "--timeout",
                                                         "2.5",
                                                         "--worker-init-fn",
                                                         "seed-numpy",
                                                         "--seed",
                                                         "7",
                                                         "--prefetch-factor",
                                                         "4",
                                                         "--persistent-workers",
                                                         "--epochs",
                                                         "2"}
                                          << c;
        DataLoaderConfig split;
        split.dataset = "range:30:mod=3";
        split.part = RandomSplitArgs{{0.8, 0.2}, 42, 1};
        split.batch_size.reset();
        split.sampler = SequentialSamplerArgs{};
        QTest::newRow("random_split")
            << QStringList{"--dataset",    "range:30:mod=3", "--random-split",
                           "0.8,0.2:42:1", "--batch-size",   "0",
                           "--sampler",    "sequential"}
            << split;
        DataLoaderConfig batches;
        batches.dataset = "range:30";
        SubsetArgs listed;
        listed.indices = std::vector<std::int64_t>{3, 1, 4, 1, 5};
        batches.part = listed;
        batches.sampler = RandomSamplerArgs{true, 9};
        batches.batch_sampler = BatchSamplerArgs{4, true};
        batches.generator_seed = 3;
        QTest::newRow("batch_sampler")
            << QStringList{"--dataset", "range:30",        "--subset-indices", "3,1,4,1,5",
                           "--sampler", "random",          "--replacement",    "--num-samples",
                           "9",         "--batch-sampler", "4:drop_last",      "--seed",
                           "3"}
            << batches;
        if (std::filesystem::exists(MnistDataset::fashion_mnist_default_dir)) {
            DataLoaderConfig images;
            images.dataset = "fashion-mnist";
            images.test_split = true;
            images.part = RandomSplitArgs{{20, 9980}, 0, 0};
            images.transform = "Compose([RandomHorizontalFlip(), ToTensor()])";
            images.batch_size = 8;
            QTest::newRow("transform")
                << QStringList{"--dataset",      "fashion-mnist",
                               "--split",        "test",
                               "--random-split", "20,9980",
                               "--transform",    QString::fromStdString(images.transform),
                               "--batch-size",   "8"}
                << images;
        }
    }
    // The saved file is the configuration the options describe; run from it, it prints the
    // same batches, warnings and summary.
    void everyOptionSetsItsField() {
        QFETCH(QStringList, args);
        QFETCH(DataLoaderConfig, config);
        QTemporaryDir dir;
        const QString saved = dir.filePath("saved.json");
        const auto first = test::run_cli(QStringList{"loader"} + args +
                                         QStringList{"--json", "--save-config", saved});
        NNSCOPE_EXPECT_CLI_OK(first);
        const DataLoaderConfig read = readSaved(saved);
        QVERIFY2(read == config, qPrintable(QString::fromStdString(
                                     loader_config_to_json(read).dump() + "\nexpected\n" +
                                     loader_config_to_json(config).dump())));
        const auto again = test::run_cli({"loader", "--config", saved, "--json"});
        NNSCOPE_EXPECT_CLI_OK(again);
        QCOMPARE(again.out, first.out);
        QCOMPARE(again.err, first.err);
        QVERIFY(first.out.count('\n') > 1);
    }

    void configErrors_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QStringList>("more");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown key")
            << QByteArray(R"({"dataset": "range:5", "batchsize": 2})") << QStringList{} << 2
            << "config.json: batchsize: unknown key 'batchsize' (known: ";
        QTest::newRow("rule") << QByteArray(R"({"num_workers": -1})") << QStringList{} << 1
                              << "error: %1config.json: num_workers: " +
                                     test::torchMessage("num_workers");
        QTest::newRow("part") << QByteArray(R"({"subset": {"random_split": {"lengths": [4, 4]}}})")
                              << QStringList{} << 1
                              << "config.json: subset.random_split.lengths: " +
                                     test::torchMessage("split sum");
        QTest::newRow("not JSON") << QByteArray("{\"dataset\": ") << QStringList{} << 2
                                  << "config.json: config: not valid JSON: ";
        QTest::newRow("option beside it")
            << QByteArray("{}") << QStringList{"--epochs", "3"} << 2
            << "config.json gives the whole configuration: --epochs cannot be given with it";
    }
    void configErrors() {
        QFETCH(QByteArray, file);
        QFETCH(QStringList, more);
        QFETCH(int, code);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = dir.filePath("config.json");
        write(path, file);
        const auto r = test::run_cli(QStringList{"loader", "--config", path} + more);
        QCOMPARE(r.exit_code, code);
        const QString expected = message.contains("%1") ? message.arg(dir.path() + "/") : message;
        QVERIFY2(r.err.contains(expected), qPrintable(test::describe(r)));
        const auto missing = test::run_cli({"loader", "--config", dir.filePath("none.json")});
        QCOMPARE(missing.exit_code, 1);
        QVERIFY2(missing.err.contains("cannot read " + dir.filePath("none.json")),
                 qPrintable(test::describe(missing)));
    }
};

QTEST_GUILESS_MAIN(TestCliLoaderConfig)
#include "tst_cli_loader_config.moc"
