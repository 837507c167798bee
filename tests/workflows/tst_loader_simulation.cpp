// workflows::LoaderSimulation: batches in order with their labels, the summary's counts
// (duplicates within an epoch, samples per class), DistributedSampler epochs, the generator
// argument, cancellation between batches, warnings, and real data sets (Fashion-MNIST's test
// split with workers, AG_NEWS rows).

#include "data/config_error.h"
#include "data/random_sampler.h"
#include "workflows/loader_simulation.h"

#include <QTemporaryDir>
#include <QtTest>
#include <fstream>

using namespace nnscope;
using namespace nnscope::data;
using namespace nnscope::workflows;

namespace {

struct Recorded {
    std::vector<LoaderBatch> batches;
    LoaderSummary summary;
};

Recorded simulate(const DataLoaderConfig& c, GeneratorPtr generator = nullptr) {
    LoaderSimulation s(c, std::move(generator));
    Recorded r;
    s.on_batch = [&](const LoaderBatch& b) { r.batches.push_back(b); };
    r.summary = s.run();
    return r;
}

std::vector<std::int64_t> allIndices(const Recorded& r) {
    std::vector<std::int64_t> out;
    for (const auto& b : r.batches)
        out.insert(out.end(), b.indices.begin(), b.indices.end());
    return out;
}

} // namespace

class TestLoaderSimulation : public QObject {
    Q_OBJECT

private slots:
    void batchesInOrder() {
        DataLoaderConfig c;
        c.dataset = "range:7";
        c.batch_size = 3;
        c.epochs = 2;
        const Recorded r = simulate(c);
        QCOMPARE(r.batches.size(), std::size_t{6});
        QCOMPARE(r.batches[4].epoch, std::int64_t{1});
        QCOMPARE(r.batches[4].batch, std::int64_t{1});
        QCOMPARE(r.batches[4].indices, (std::vector<std::int64_t>{3, 4, 5}));
        QCOMPARE(r.batches[5].labels, (std::vector<std::int64_t>{6})); // range: label i is i
        QCOMPARE(r.summary.batches, std::int64_t{6});
        QCOMPARE(r.summary.samples, std::int64_t{14});
        QCOMPARE(r.summary.duplicates, std::int64_t{0});
        QCOMPARE(r.summary.dataset, std::string("RangeDataset"));
        QCOMPARE(r.summary.dataset_size, std::int64_t{7});
        QVERIFY(r.summary.complete);
    }

    // next() draws what run() draws, one batch at a time, epochs and distributed epochs
    // included, and its summary adds up the same.
    void nextStepsThroughWhatRunDraws() {
        DataLoaderConfig c;
        c.dataset = "range:23";
        c.batch_size = 4;
        c.epochs = 3;
        c.sampler = DistributedSamplerArgs{2, 1, true, 5, false, 0};
        const Recorded whole = simulate(c);
        LoaderSimulation stepped(c);
        std::vector<LoaderBatch> batches;
        while (auto b = stepped.next())
            batches.push_back(*b);
        QVERIFY(!stepped.next());
        QCOMPARE(batches.size(), whole.batches.size());
        for (std::size_t i = 0; i < batches.size(); ++i) {
            QCOMPARE(batches[i].epoch, whole.batches[i].epoch);
            QCOMPARE(batches[i].batch, whole.batches[i].batch);
            QCOMPARE(batches[i].indices, whole.batches[i].indices);
            QCOMPARE(batches[i].labels, whole.batches[i].labels);
        }
        QCOMPARE(stepped.summary().samples, whole.summary.samples);
        QCOMPARE(stepped.summary().duplicates, whole.summary.duplicates);
        QCOMPARE(stepped.summary().per_class, whole.summary.per_class);
        // Not vacuous: the epochs differ (set_epoch reshuffles).
        QVERIFY(whole.batches.front().indices != whole.batches[3].indices);
    }

    void summaryCountsDuplicatesAndClasses() {
        DataLoaderConfig c;
        c.dataset = "range:4";
        c.batch_size = 3;
        c.sampler = RandomSamplerArgs{true, 40};
        c.generator_seed = 1;
        const LoaderSummary s = simulate(c).summary;
        QCOMPARE(s.samples, std::int64_t{40});
        QCOMPARE(s.duplicates, std::int64_t{36}); // 4 distinct values in 40 draws
        std::int64_t total = 0;
        for (const auto& [label, n] : s.per_class) {
            QVERIFY(label >= 0 && label < 4);
            total += n;
        }
        QCOMPARE(total, std::int64_t{40});
    }

    // WeightedRandomSampler with class-balanced weights draws the classes of an imbalanced data
    // set about equally often; with replacement it repeats the rare samples again and again.
    void classBalancedOnImbalancedClasses() {
        DataLoaderConfig c;
        c.dataset = "range:150:imbalanced=4"; // 80, 40, 20, 10
        c.batch_size = 50;
        c.generator_seed = 0;
        LoaderSummary plain = simulate(c).summary;
        QCOMPARE(plain.per_class,
                 (std::map<std::int64_t, std::int64_t>{{0, 80}, {1, 40}, {2, 20}, {3, 10}}));
        c.sampler = WeightedSamplerArgs{{}, 4000, true};
        const LoaderSummary s = simulate(c).summary;
        QCOMPARE(s.samples, std::int64_t{4000});
        for (const auto& [label, n] : s.per_class)
            QVERIFY2(n > 850 && n < 1150, qPrintable(QString::number(n)));
        QCOMPARE(s.duplicates, std::int64_t{4000 - 150});
    }

    void distributedEpochs() {
        DataLoaderConfig c;
        c.dataset = "range:25";
        c.batch_size = 4;
        c.epochs = 2;
        c.sampler = DistributedSamplerArgs{3, 1, true, 11, false, 0};
        const Recorded from0 = simulate(c);
        std::get<DistributedSamplerArgs>(c.sampler).epoch = 1;
        c.epochs = 1;
        const Recorded from1 = simulate(c);
        const auto all0 = allIndices(from0), all1 = allIndices(from1);
        QCOMPARE(all0.size(), std::size_t{18}); // 9 per epoch: 25 padded to 27, split in 3
        QCOMPARE(std::vector<std::int64_t>(all0.begin() + 9, all0.end()), all1);
        QVERIFY(std::vector<std::int64_t>(all0.begin(), all0.begin() + 9) != all1);
    }

    // A generator passed in is the DataLoader's generator=; a seed in the configuration wins.
    void generatorArgument() {
        DataLoaderConfig c;
        c.dataset = "range:20";
        c.batch_size = 5;
        c.shuffle = true;
        const auto given = allIndices(simulate(c, std::make_shared<Generator>(3)));
        c.generator_seed = 3;
        QCOMPARE(allIndices(simulate(c)), given);
        QCOMPARE(allIndices(simulate(c, std::make_shared<Generator>(4))), given);
        // Without either, the default generator, as DataLoader(generator=None).
        c.generator_seed.reset();
        manual_seed(3);
        const auto fromDefault = allIndices(simulate(c));
        manual_seed(3);
        QCOMPARE(allIndices(simulate(c)), fromDefault);
    }

    void cancelStopsBetweenBatches() {
        DataLoaderConfig c;
        c.dataset = "range:30";
        c.batch_size = 2;
        c.epochs = 3;
        LoaderSimulation s(c);
        int seen = 0;
        s.on_batch = [&](const LoaderBatch&) { ++seen; };
        s.cancelled = [&] { return seen == 5; };
        const LoaderSummary summary = s.run();
        QCOMPARE(seen, 5);
        QVERIFY(!summary.complete);
        QCOMPARE(summary.batches, std::int64_t{5});
        QCOMPARE(summary.samples, std::int64_t{10});
    }

    void warningsAndErrors() {
        DataLoaderConfig c;
        c.pin_memory = true;
        LoaderSimulation s(c);
        QCOMPARE(s.warnings().size(), std::size_t{1});
        QVERIFY(
            QString::fromStdString(s.warnings()[0]).startsWith("pin_memory=True has no effect"));
        QCOMPARE(s.run().warnings, s.warnings());
        c.shuffle = true;
        c.sampler = SequentialSamplerArgs{};
        QVERIFY_THROWS_EXCEPTION(ConfigError, LoaderSimulation{c});
    }

    void fashionMnistWithWorkers() {
        if (!QFile::exists("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        DataLoaderConfig c;
        c.dataset = "fashion-mnist";
        c.test_split = true;
        c.batch_size = 1000;
        c.num_workers = 2;
        const Recorded r = simulate(c);
        QCOMPARE(r.summary.batches, std::int64_t{10});
        // The test split has 1000 images of each class (counted with numpy from the file).
        QCOMPARE(r.summary.per_class.size(), std::size_t{10});
        for (const auto& [label, n] : r.summary.per_class)
            QCOMPARE(n, std::int64_t{1000});
        QCOMPARE(
            std::vector<std::int64_t>(r.batches[0].labels.begin(), r.batches[0].labels.begin() + 5),
            (std::vector<std::int64_t>{9, 2, 1, 1, 6}));
    }

    void agNewsRows() {
        QTemporaryDir dir;
        std::ofstream(dir.filePath("train.csv").toStdString()) << "1,a,b\n2,c,d\n3,e,f\n";
        std::ofstream(dir.filePath("test.csv").toStdString()) << "4,\"x, y\",z\n2,g,h\n";
        DataLoaderConfig c;
        c.dataset = "ag-news:" + dir.path().toStdString();
        c.test_split = true;
        c.batch_size = 2;
        Recorded r = simulate(c);
        QCOMPARE(r.batches.size(), std::size_t{1});
        QCOMPARE(r.batches[0].indices, (std::vector<std::int64_t>{0, 1}));
        QCOMPARE(r.batches[0].labels, (std::vector<std::int64_t>{3, 1}));
        // The tutorial's offsets batches carry the labels first; they are still found.
        c.collate_fn = CollateChoice::Offsets;
        r = simulate(c);
        QCOMPARE(r.batches[0].labels, (std::vector<std::int64_t>{3, 1}));

        c.dataset = "ag-news:" + dir.filePath("none").toStdString();
        try {
            LoaderSimulation s(c);
            QFAIL("no error");
        } catch (const std::runtime_error& e) {
            QVERIFY2(QString(e.what()).contains("no test.csv in"), e.what());
        }
        c.dataset = "ag-news:";
        try {
            LoaderSimulation s(c);
            QFAIL("no error");
        } catch (const ConfigError& e) {
            QCOMPARE(std::string(e.what()),
                     "dataset ag-news:PATH needs the folder of the CSV files");
        }
    }
};

QTEST_GUILESS_MAIN(TestLoaderSimulation)
#include "tst_loader_simulation.moc"
