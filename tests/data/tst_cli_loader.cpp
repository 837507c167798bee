// nnscope-cli loader as a user runs it: its options become the DataLoaderConfig whose
// simulation it prints (one JSON line per batch, then the summary; the same as text), and its
// errors and exit codes. The loader itself is tested in tests/data/tst_loader_config (PyTorch's
// batches) and tests/workflows/tst_loader_simulation.

#include "cli/cli_runner.h"
#include "workflows/loader_simulation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace nnscope;
using namespace nnscope::data;

Q_DECLARE_METATYPE(nnscope::data::DataLoaderConfig)

namespace {

struct Parsed {
    std::vector<std::int64_t> indices, lengths, labels;
    QJsonObject summary;
};

Parsed parse(const QString& out) {
    Parsed p;
    for (const QString& line : out.split('\n', Qt::SkipEmptyParts)) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        if (o.contains("summary")) {
            p.summary = o["summary"].toObject();
            continue;
        }
        const QJsonArray idx = o["indices"].toArray();
        for (const auto v : idx)
            p.indices.push_back(v.toInteger());
        for (const auto v : o["labels"].toArray())
            p.labels.push_back(v.toInteger());
        p.lengths.push_back(idx.size());
    }
    return p;
}

Parsed simulate(const DataLoaderConfig& c) {
    workflows::LoaderSimulation s(c);
    Parsed p;
    s.on_batch = [&](const workflows::LoaderBatch& b) {
        p.indices.insert(p.indices.end(), b.indices.begin(), b.indices.end());
        p.labels.insert(p.labels.end(), b.labels.begin(), b.labels.end());
        p.lengths.push_back(static_cast<std::int64_t>(b.indices.size()));
    };
    const auto summary = s.run();
    p.summary = {{"batches", qint64(summary.batches)},
                 {"samples", qint64(summary.samples)},
                 {"duplicates", qint64(summary.duplicates)}};
    return p;
}

DataLoaderConfig rangeOf(int n, std::int64_t batch_size, SamplerConfig sampler) {
    DataLoaderConfig c;
    c.dataset = "range:" + std::to_string(n);
    c.batch_size = batch_size;
    c.sampler = std::move(sampler);
    c.generator_seed = 5;
    c.epochs = 3;
    return c;
}

} // namespace

class TestCliLoader : public QObject {
    Q_OBJECT

private slots:
    void optionsReachTheLibrary_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<DataLoaderConfig>("config");
        const QStringList common{"--dataset", "range:25", "--batch-size", "4",
                                 "--seed",    "5",        "--epochs",     "3"};
        DataLoaderConfig shuffled = rangeOf(25, 4, std::monostate{});
        shuffled.shuffle = true;
        shuffled.drop_last = true;
        QTest::newRow("shuffle") << common + QStringList{"--shuffle", "--drop-last"} << shuffled;
        QTest::newRow("random") << common + QStringList{"--sampler", "random", "--replacement",
                                                        "--num-samples", "30"}
                                << rangeOf(25, 4, RandomSamplerArgs{true, 30});
        SubsetRandomSamplerArgs subset;
        subset.range = std::pair<std::int64_t, std::int64_t>{5, 17};
        QTest::newRow("subset") << common + QStringList{"--sampler", "subset-random", "--subset",
                                                        "5:17",      "--num-workers", "2"}
                                << [&] {
                                       auto c = rangeOf(25, 4, subset);
                                       c.num_workers = 2;
                                       return c;
                                   }();
        QStringList text;
        std::vector<double> weights;
        for (int i = 0; i < 25; ++i) {
            text << QString::number(i % 3 + 1);
            weights.push_back(i % 3 + 1);
        }
        QTest::newRow("weighted per sample")
            << common +
                   QStringList{"--sampler",        "weighted",      "--weights", text.join(','),
                               "--no-replacement", "--num-samples", "20"}
            << rangeOf(25, 4,
                       WeightedSamplerArgs{{SampleWeights::Kind::Listed, weights}, 20, false});
        QTest::newRow("weighted class-balanced")
            << common + QStringList{"--sampler", "weighted"}
            << rangeOf(25, 4, WeightedSamplerArgs{{}, std::nullopt, true});
        DataLoaderConfig distributed =
            rangeOf(25, 4, DistributedSamplerArgs{3, 1, false, 11, true, 4});
        distributed.drop_last = true;
        QTest::newRow("distributed") << common + QStringList{"--sampler",
                                                             "distributed",
                                                             "--num-replicas",
                                                             "3",
                                                             "--rank",
                                                             "1",
                                                             "--sampler-seed",
                                                             "11",
                                                             "--no-sampler-shuffle",
                                                             "--epoch",
                                                             "4",
                                                             "--drop-last"}
                                     << distributed;
        DataLoaderConfig none = rangeOf(6, 1, SequentialSamplerArgs{});
        none.batch_size.reset();
        QTest::newRow("batch_size None")
            << QStringList{"--dataset", "range:6", "--batch-size", "0", "--sampler", "sequential",
                           "--seed",    "5",       "--epochs",     "3"}
            << none;
    }
    void optionsReachTheLibrary() {
        QFETCH(QStringList, args);
        QFETCH(DataLoaderConfig, config);
        const auto r = test::run_cli(QStringList{"loader"} + args + QStringList{"--json"});
        NNSCOPE_EXPECT_CLI_OK(r);
        const Parsed printed = parse(r.out);
        const Parsed expected = simulate(config);
        QCOMPARE(printed.indices, expected.indices);
        QCOMPARE(printed.lengths, expected.lengths);
        QCOMPARE(printed.labels, expected.labels);
        for (const char* key : {"batches", "samples", "duplicates"})
            QCOMPARE(printed.summary[key].toInteger(), expected.summary[key].toInteger());
    }

    void textAndJsonLines() {
        const QStringList args{"loader", "--dataset", "range:5", "--batch-size", "2"};
        const auto text = test::run_cli(args);
        NNSCOPE_EXPECT_CLI_OK(text);
        QVERIFY2(text.out.startsWith("epoch 0 batch 0: indices [0,1] labels [0,1]\n"
                                     "epoch 0 batch 1: indices [2,3] labels [2,3]\n"),
                 qPrintable(text.out));
        QVERIFY2(text.out.contains("summary: {\"dataset\":\"RangeDataset\",\"dataset_size\":5,"
                                   "\"epochs\":1,\"batches\":3,\"samples\":5,"
                                   "\"duplicates\":0,\"per_class\":{\"0\":1,"),
                 qPrintable(text.out));
        const auto j = test::run_cli(args + QStringList{"--json"});
        QVERIFY2(j.out.startsWith(R"({"epoch":0,"batch":0,"indices":[0,1],"labels":[0,1]})"),
                 qPrintable(j.out));
        QVERIFY2(j.out.contains(R"({"summary":{"dataset":"RangeDataset")"), qPrintable(j.out));
    }

    void errors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("sampler+shuffle")
            << QStringList{"--dataset", "range:5", "--shuffle", "--sampler", "random"} << 1
            << "sampler option is mutually exclusive with shuffle";
        QTest::newRow("None+drop_last")
            << QStringList{"--dataset", "range:5", "--batch-size", "0", "--drop-last"} << 1
            << "batch_size=None option disables auto-batching";
        QTest::newRow("rank") << QStringList{"--dataset",      "range:5",
                                             "--sampler",      "distributed",
                                             "--num-replicas", "4",
                                             "--rank",         "5"}
                              << 1 << "Invalid rank 5, rank should be in the interval [0, 3]";
        QTest::newRow("num_samples")
            << QStringList{"--dataset", "range:5", "--sampler", "random", "--num-samples", "0"} << 1
            << "num_samples should be a positive integer value, but got num_samples=0";
        QTest::newRow("workers") << QStringList{"--dataset", "range:5", "--num-workers", "-1"} << 1
                                 << "num_workers option should be non-negative";
        QTest::newRow("weights") << QStringList{"--dataset", "range:5",   "--sampler",
                                                "weighted",  "--weights", "1,2"}
                                 << 2
                                 << "nnscope-cli loader: --weights gives 2 weights: neither one "
                                    "per sample (5) nor one per class (class 2 has none)";
        QTest::newRow("zero weights")
            << QStringList{"--dataset", "range:3", "--sampler", "weighted", "--weights", "0,0,0"}
            << 1
            << "nnscope-cli loader: error: --weights: invalid multinomial distribution (sum of "
               "probabilities <= 0)";
        QTest::newRow("subset") << QStringList{"--dataset",     "range:5",  "--sampler",
                                               "subset-random", "--subset", "3:9"}
                                << 2
                                << "nnscope-cli loader: --subset: subset index 5 is out of "
                                   "range for a data set of 5 samples";
        // Every error names the option it is about.
        const QStringList r10{"--dataset", "range:10"};
        QTest::newRow("batch-sampler size")
            << r10 + QStringList{"--batch-sampler", "-2"} << 1
            << "nnscope-cli loader: error: --batch-sampler: batch_size should be a positive "
               "integer value, but got batch_size=-2";
        QTest::newRow("batch-sampler text") << r10 + QStringList{"--batch-sampler", "4:last"} << 2
                                            << "--batch-sampler expects N or N:drop_last, got "
                                               "'4:last'";
        QTest::newRow("batch-sampler with batch-size")
            << r10 + QStringList{"--batch-sampler", "4", "--batch-size", "2"} << 1
            << "error: --batch-sampler: batch_sampler option is mutually exclusive with "
               "batch_size, shuffle, sampler, and drop_last";
        QTest::newRow("random-split sum") << r10 + QStringList{"--random-split", "3,3:1:0"} << 1
                                          << "error: --random-split: Sum of input lengths does "
                                             "not equal the length of the input dataset!";
        QTest::newRow("random-split fraction")
            << r10 + QStringList{"--random-split", "1.5,-0.5"} << 1
            << "error: --random-split: Fraction at index 0 is not between 0 and 1";
        QTest::newRow("random-split part") << r10 + QStringList{"--random-split", "3,7:1:2"} << 2
                                           << "nnscope-cli loader: --random-split: random_split "
                                              "part 2 does not exist: the lengths make parts 0 "
                                              "to 1";
        QTest::newRow("random-split text") << r10 + QStringList{"--random-split", "a,b"} << 2
                                           << "--random-split expects a number, got 'a'";
        QTest::newRow("random-split with subset")
            << r10 + QStringList{"--random-split", "1", "--subset-range", "0:3"} << 2
            << "--random-split cannot be given with --subset-indices or --subset-range";
        QTest::newRow("subset-indices") << r10 + QStringList{"--subset-indices", "1,10"} << 2
                                        << "nnscope-cli loader: --subset-indices: subset index "
                                           "10 is out of range for a data set of 10 samples";
        QTest::newRow("subset both")
            << r10 + QStringList{"--subset-indices", "1", "--subset-range", "0:3"} << 2
            << "nnscope-cli loader: give the subset as --subset-indices or as a --subset-range, "
               "not both";
        QTest::newRow("subset-range reversed") << r10 + QStringList{"--subset-range", "5:2"} << 2
                                               << "nnscope-cli loader: --subset-range [5, 2) "
                                                  "ends before it begins";
        QTest::newRow("prefetch-factor") << r10 + QStringList{"--prefetch-factor", "3"} << 1
                                         << "error: --prefetch-factor: prefetch_factor option "
                                            "could only be specified in multiprocessing.let "
                                            "num_workers > 0 to enable multiprocessing.";
        QTest::newRow("persistent-workers") << r10 + QStringList{"--persistent-workers"} << 1
                                            << "error: --persistent-workers: persistent_workers "
                                               "option needs num_workers > 0";
        QTest::newRow("timeout") << r10 + QStringList{"--timeout", "-1"} << 1
                                 << "error: --timeout: timeout option should be non-negative";
        QTest::newRow("timeout text") << r10 + QStringList{"--timeout", "soon"} << 2
                                      << "--timeout expects a number, got 'soon'";
        QTest::newRow("collate") << r10 + QStringList{"--collate", "padding"} << 2
                                 << "nnscope-cli loader: --collate padding needs a text data set "
                                    "(ag-news:PATH), got 'range:10'";
        QTest::newRow("collate name") << r10 + QStringList{"--collate", "stack"} << 2
                                      << "--collate expects default, padding or offsets, got "
                                         "'stack'";
        QTest::newRow("worker-init-fn") << r10 + QStringList{"--worker-init-fn", "seed"} << 2
                                        << "--worker-init-fn expects none or seed-numpy, got "
                                           "'seed'";
        QTest::newRow("transform") << r10 + QStringList{"--transform", "RandomCrop(28"} << 2
                                   << "nnscope-cli loader: --transform: ";
        QTest::newRow("nan weights")
            << QStringList{"--dataset", "range:3", "--sampler", "weighted", "--weights", "1,nan,2"}
            << 1
            << "error: --weights: invalid multinomial distribution "
               "(encountering probability entry < 0)";
        QTest::newRow("dataset") << QStringList{"--dataset", "cifar"} << 2 << "unknown --dataset";
        QTest::newRow("mnist path") << QStringList{"--dataset", "mnist:/nonexistent"} << 1
                                    << "cannot find train-images-idx3-ubyte";
    }
    void errors() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const auto r = test::run_cli(QStringList{"loader"} + args);
        QCOMPARE(r.exit_code, code);
        QVERIFY2(r.err.contains(message), qPrintable(test::describe(r)));
    }
};

QTEST_GUILESS_MAIN(TestCliLoader)
#include "tst_cli_loader.moc"
