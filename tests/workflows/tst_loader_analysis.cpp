// workflows::analyse_loader: the index-only draw equals LoaderSimulation's batches for every
// sampler and loader option, and PyTorch 1.13's golden batches; drop_last's tail, a
// DistributedSampler's padding and ranks, workers and base seeds (persistent or not); the data
// set cache; cancellation; real Fashion-MNIST labels and speed. The workers' numpy streams:
// tst_worker_streams.

#include "data/config_error.h"
#include "data/data_golden.h"
#include "workflows/dataset_cache.h"
#include "workflows/loader_analysis.h"
#include "workflows/loader_simulation.h"

#include <QElapsedTimer>
#include <QFile>
#include <QtTest>

using namespace nnscope;
using namespace nnscope::data;
using namespace nnscope::workflows;

namespace {

DataLoaderConfig range(std::int64_t n, std::optional<std::int64_t> batch_size,
                       std::int64_t epochs = 3) {
    DataLoaderConfig c;
    c.dataset = "range:" + std::to_string(n);
    c.batch_size = batch_size;
    c.epochs = epochs;
    return c;
}

// The simulation's batches as (order, batch sizes) per epoch.
std::vector<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>>
simulated(const DataLoaderConfig& c) {
    std::vector<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>> out(
        static_cast<std::size_t>(c.epochs));
    LoaderSimulation s(c);
    s.on_batch = [&](const LoaderBatch& b) {
        auto& e = out.at(static_cast<std::size_t>(b.epoch));
        e.first.insert(e.first.end(), b.indices.begin(), b.indices.end());
        e.second.push_back(static_cast<std::int64_t>(b.indices.size()));
    };
    s.run();
    return out;
}

std::vector<std::int64_t> iota(std::int64_t begin, std::int64_t end) {
    std::vector<std::int64_t> v;
    for (auto i = begin; i < end; ++i)
        v.push_back(i);
    return v;
}

} // namespace

Q_DECLARE_METATYPE(nnscope::data::DataLoaderConfig)

class TstLoaderAnalysis : public QObject {
    Q_OBJECT
private slots:
    void equalsTheSimulation_data() {
        QTest::addColumn<DataLoaderConfig>("config");
        auto c = range(10, 3);
        QTest::newRow("sequential") << c;
        c = range(23, 4);
        c.shuffle = true;
        c.generator_seed = 5;
        c.drop_last = true;
        QTest::newRow("shuffle drop_last") << c;
        c = range(23, 4);
        c.shuffle = true; // the default generator, a fresh interpreter's
        QTest::newRow("shuffle default generator") << c;
        c = range(17, std::nullopt);
        c.shuffle = true;
        c.generator_seed = 9;
        QTest::newRow("batch_size None") << c;
        c = range(25, 4);
        c.sampler = RandomSamplerArgs{true, 30};
        c.generator_seed = 1;
        QTest::newRow("random replacement") << c;
        c = range(25, 4);
        c.sampler = RandomSamplerArgs{false, 60};
        QTest::newRow("random num_samples > n") << c;
        c = range(25, 3);
        c.sampler =
            SubsetRandomSamplerArgs{std::nullopt, std::pair<std::int64_t, std::int64_t>{5, 17}};
        c.generator_seed = 2;
        QTest::newRow("subset-random") << c;
        c = range(25, 4);
        c.sampler = WeightedSamplerArgs{
            {SampleWeights::Kind::PerSample, std::vector<double>(25, 1.0)}, 20, true};
        QTest::newRow("weighted") << c;
        c = range(12, 5);
        c.sampler = WeightedSamplerArgs{
            {SampleWeights::Kind::PerSample, std::vector<double>(12, 2.0)}, 7, false};
        c.generator_seed = 4;
        QTest::newRow("weighted without replacement") << c;
        for (bool drop : {false, true}) {
            c = range(25, 4);
            c.sampler = DistributedSamplerArgs{3, 1, true, 11, drop, 2};
            QTest::newRow(drop ? "distributed drop_last" : "distributed") << c;
        }
        c = range(10, 4);
        c.sampler = DistributedSamplerArgs{4, 3, false, 0, false, 0};
        QTest::newRow("distributed sequential") << c;
        c = range(19, 1);
        c.sampler = RandomSamplerArgs{};
        c.batch_sampler = BatchSamplerArgs{4, true};
        c.generator_seed = 8;
        QTest::newRow("batch_sampler drop_last") << c;
        c = range(19, 1);
        c.batch_sampler = BatchSamplerArgs{5, false};
        QTest::newRow("batch_sampler sequential") << c;
        c = range(21, 4);
        c.shuffle = true;
        c.num_workers = 2;
        c.generator_seed = 3;
        QTest::newRow("workers") << c;
        c.persistent_workers = true;
        QTest::newRow("persistent workers") << c;
        c.generator_seed.reset();
        c.sampler = RandomSamplerArgs{true, 15};
        c.shuffle = false;
        QTest::newRow("persistent workers default generator") << c;
    }
    void equalsTheSimulation() {
        QFETCH(DataLoaderConfig, config);
        const auto expected = simulated(config);
        const auto a = analyse_loader(config);
        QVERIFY(a);
        QCOMPARE(a->epochs.size(), expected.size());
        for (std::size_t e = 0; e < expected.size(); ++e) {
            QCOMPARE(a->epochs[e].order, expected[e].first);
            QCOMPARE(a->epochs[e].batch_sizes, expected[e].second);
            QCOMPARE(a->epochs[e].worker.size(), expected[e].second.size());
        }
    }

    // loader.safetensors (gen_data.py): every case with its own seeded generator.
    void goldenBatches() {
        const test::GoldenFile file("data/loader.safetensors");
        int checked = 0;
        for (const auto& g : test::casesOf(file)) {
            if (!g.contains("sampler") || !g["generator"].get<bool>()) continue;
            const std::int64_t n = g["n"];
            DataLoaderConfig c =
                range(n, g["batch_size"].is_null() ? std::nullopt
                                                   : std::optional<std::int64_t>(g["batch_size"]));
            c.shuffle = g["shuffle"];
            c.drop_last = g["drop_last"];
            c.generator_seed = std::stoull(g["seed"].get<std::string>());
            const std::string kind = g["sampler"];
            if (kind == "random-replacement") c.sampler = RandomSamplerArgs{true, 30};
            if (kind == "subset")
                c.sampler = SubsetRandomSamplerArgs{std::nullopt,
                                                    std::pair<std::int64_t, std::int64_t>{5, 17}};
            if (kind == "weighted") {
                std::vector<double> w;
                for (std::int64_t i = 0; i < n; ++i)
                    w.push_back(static_cast<double>(i % 3 + 1));
                c.sampler = WeightedSamplerArgs{{SampleWeights::Kind::PerSample, w}, 20, true};
            }
            if (kind == "distributed") c.sampler = DistributedSamplerArgs{3, 1, true, 11, false, 0};
            const auto a = analyse_loader(c);
            std::vector<std::int64_t> order, lengths;
            for (const auto& e : a->epochs) {
                order.insert(order.end(), e.order.begin(), e.order.end());
                if (c.batch_size)
                    lengths.insert(lengths.end(), e.batch_sizes.begin(), e.batch_sizes.end());
                else
                    lengths.push_back(static_cast<std::int64_t>(e.order.size()));
            }
            const std::string name = g["name"];
            if (order != test::goldenInts(file, name + "/indices"))
                QFAIL(qPrintable(QString::fromStdString("indices differ in " + g.dump())));
            QCOMPARE(lengths, test::goldenInts(file, name + "/lengths"));
            ++checked;
        }
        QCOMPARE(checked, 3 * (2 * (2 * 4 + 2) + 4)); // seeds x (n x batchings) + samplers
    }

    void dropLastKeepsTheTail() {
        auto c = range(10, 4, 2);
        c.drop_last = true;
        auto a = analyse_loader(c);
        QCOMPARE(a->epochs[0].order, iota(0, 8));
        QCOMPARE(a->epochs[0].dropped, iota(8, 10));
        QCOMPARE(a->epochs[1].dropped, iota(8, 10));
        QCOMPARE(a->never_drawn, 2);
        QCOMPARE(a->draw_counts[9], 0);
        QCOMPARE(a->draw_counts[0], 2);
        c = range(10, 1, 1);
        c.batch_sampler = BatchSamplerArgs{3, true};
        a = analyse_loader(c);
        QCOMPARE(a->epochs[0].batch_sizes, (std::vector<std::int64_t>{3, 3, 3}));
        QCOMPARE(a->epochs[0].dropped, (std::vector<std::int64_t>{9}));
        c.batch_sampler->drop_last = false;
        QVERIFY(analyse_loader(c)->epochs[0].dropped.empty());
    }

    // PyTorch 1.13 distributed.py: 10 samples over 4 ranks pad to 12 with indices 0 and 1 (ranks
    // 2 and 3 take them last); drop_last cuts to 8 and nobody gets 8 and 9.
    void distributedPaddingAndRanks() {
        auto c = range(10, 2, 1);
        c.sampler = DistributedSamplerArgs{4, 3, false, 0, false, 0};
        auto a = analyse_loader(c);
        QCOMPARE(a->ranks.size(), std::size_t(4));
        QCOMPARE(a->ranks[0].order[0], (std::vector<std::int64_t>{0, 4, 8}));
        QCOMPARE(a->ranks[2].order[0], (std::vector<std::int64_t>{2, 6, 0}));
        QCOMPARE(a->ranks[3].order[0], (std::vector<std::int64_t>{3, 7, 1}));
        QCOMPARE(a->ranks[0].padding[0], (std::vector<std::uint8_t>{0, 0, 0}));
        QCOMPARE(a->ranks[2].padding[0], (std::vector<std::uint8_t>{0, 0, 1}));
        QCOMPARE(a->epochs[0].order, (std::vector<std::int64_t>{3, 7, 1}));
        QCOMPARE(a->epochs[0].padding, (std::vector<std::uint8_t>{0, 0, 1}));
        QVERIFY(a->epochs[0].dropped.empty());
        c.sampler = DistributedSamplerArgs{4, 3, false, 0, true, 0};
        a = analyse_loader(c);
        QCOMPARE(a->ranks[3].order[0], (std::vector<std::int64_t>{3, 7}));
        QVERIFY(a->epochs[0].padding.empty());
        QCOMPARE(a->epochs[0].dropped, (std::vector<std::int64_t>{8, 9}));
        // Every rank, every epoch: together they draw each index once plus the padding.
        c = range(25, 4, 3);
        c.sampler = DistributedSamplerArgs{3, 0, true, 11, false, 0};
        a = analyse_loader(c);
        for (std::size_t e = 0; e < 3; ++e) {
            std::vector<int> drawn(25, 0);
            int padding = 0;
            for (const auto& r : a->ranks) {
                QCOMPARE(r.order[e].size(), std::size_t(9));
                for (std::size_t p = 0; p < r.order[e].size(); ++p) {
                    ++drawn[static_cast<std::size_t>(r.order[e][p])];
                    padding += r.padding[e][p];
                }
            }
            QCOMPARE(padding, 2);
            QCOMPARE(std::count(drawn.begin(), drawn.end(), 0), 0);
            QCOMPARE(std::accumulate(drawn.begin(), drawn.end(), 0), 27);
        }
        QVERIFY(a->ranks[0].order[0] != a->ranks[0].order[1]); // set_epoch reshuffles
    }

    void workersAndBaseSeeds() {
        auto c = range(20, 3, 3);
        c.num_workers = 3;
        c.generator_seed = 3;
        auto a = analyse_loader(c);
        QCOMPARE(a->epochs[0].worker, (std::vector<int>{0, 1, 2, 0, 1, 2, 0}));
        QVERIFY(a->epochs[0].base_seed != a->epochs[1].base_seed);
        QCOMPARE(a->workers.size(), std::size_t(9));
        QCOMPARE(a->workers[1].loaded, 6); // batches 1 and 4 (3 each)
        QCOMPARE(a->workers[0].loaded, 8); // batches 0, 3 and 6 (the last holds 2)
        QCOMPARE(a->workers[4].torch_seed, static_cast<std::uint64_t>(a->epochs[1].base_seed) + 1);
        c.persistent_workers = true;
        a = analyse_loader(c);
        QCOMPARE(a->epochs[1].base_seed, a->epochs[0].base_seed);
        QCOMPARE(a->epochs[2].base_seed, a->epochs[0].base_seed);
        c.num_workers = 0;
        c.persistent_workers = false;
        a = analyse_loader(c);
        QCOMPARE(a->epochs[0].worker, std::vector<int>(7, -1));
        QVERIFY(a->workers.empty());
        // The streams keep kMaxStreamDraws samples a worker and epoch.
        c = range(1000, 10, 1);
        c.num_workers = 2;
        a = analyse_loader(c);
        QCOMPARE(a->workers[0].loaded, 500);
        QCOMPARE(a->workers[0].indices.size(), LoaderAnalysis::kMaxStreamDraws);
        QCOMPARE(a->workers[0].seeded.size(), LoaderAnalysis::kMaxStreamDraws);
    }

    void countsAndDuplicates() {
        auto c = range(6, 2, 2);
        c.sampler = RandomSamplerArgs{true, 12};
        c.generator_seed = 0;
        const auto a = analyse_loader(c);
        std::int64_t duplicates = 0;
        std::vector<std::int64_t> counts(6, 0);
        for (const auto& e : a->epochs) {
            std::vector<int> seen(6, 0);
            for (auto i : e.order) {
                if (seen[static_cast<std::size_t>(i)]++) ++duplicates;
                ++counts[static_cast<std::size_t>(i)];
            }
        }
        QVERIFY(duplicates >= 12); // 12 draws from 6 repeat at least 6 times an epoch
        QCOMPARE(a->duplicates, duplicates);
        QCOMPARE(a->draw_counts, counts);
        QCOMPARE(a->labels, iota(0, 6));
        QCOMPARE(a->class_counts, std::vector<std::int64_t>(6, 1));
        QCOMPARE(a->drawn_per_class, counts); // range:N labels each index itself
        const auto per_batch = batch_class_counts(*a, 1);
        QCOMPARE(per_batch.size(), std::size_t(6));
        QCOMPARE(std::accumulate(per_batch[0].begin(), per_batch[0].end(), std::int64_t{0}), 2);
    }

    void badConfigNamesTheField() {
        auto c = range(10, 2);
        c.num_workers = -1;
        try {
            analyse_loader(c);
            QFAIL("no error");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.field()), QStringLiteral("num_workers"));
        }
        c = range(10, 2);
        c.sampler = SubsetRandomSamplerArgs{std::vector<std::int64_t>{3, 10}, std::nullopt};
        QVERIFY_THROWS_EXCEPTION(ConfigError, analyse_loader(c));
    }

    void datasetsAreOpenedOnce() {
        auto c = range(5, 1);
        const auto a = open_dataset_cached(c);
        QCOMPARE(open_dataset_cached(c), a);
        c.test_split = true;
        QVERIFY(open_dataset_cached(c) != a);
        c.dataset = "range:five";
        QVERIFY_THROWS_EXCEPTION(ConfigError, open_dataset_cached(c));
        QVERIFY_THROWS_EXCEPTION(ConfigError, open_dataset_cached(c)); // errors are not kept
        for (int n = 10; n < 10 + static_cast<int>(kDatasetCacheCapacity); ++n)
            open_dataset_cached(range(n, 1));
        QVERIFY(open_dataset_cached(range(5, 1)) != a); // the least recently used went
    }

    void cancelGivesNothing() {
        std::atomic<bool> cancel{true};
        QVERIFY(!analyse_loader(range(1000, 10), &cancel));
        cancel = false;
        QVERIFY(analyse_loader(range(1000, 10), &cancel));
    }

    // The lab's budget: 60,000 samples x 3 epochs well under 50 ms (a loose bound here, for
    // debug and sanitizer builds on a loaded machine; bench/lab_analysis.sh measures release).
    void fashionMnistLabelsAndSpeed() {
        if (!QFile::exists("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz"))
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        DataLoaderConfig c;
        c.dataset = "fashion-mnist";
        c.batch_size = 64;
        c.shuffle = true;
        c.epochs = 3;
        c.transform = "RandomRotation(15)";
        QElapsedTimer t;
        t.start();
        analyse_loader(c); // opens the data set (workflows/dataset_cache.h keeps it)
        const auto first = t.restart();
        c.sampler = WeightedSamplerArgs{{SampleWeights::Kind::ClassBalanced, {}}, {}, true};
        c.shuffle = false;
        analyse_loader(c);
        const auto weighted = t.restart();
        c.sampler = {};
        c.shuffle = true;
        const auto a = analyse_loader(c);
        const auto again = t.elapsed();
        qInfo("60,000 x 3 epochs: %lld ms with the data set opened, then weighted %lld ms, "
              "shuffled %lld ms",
              static_cast<long long>(first), static_cast<long long>(weighted),
              static_cast<long long>(again));
        QVERIFY2(again < 1000, qPrintable(QString::number(again))); // release: a few ms
        QCOMPARE(a->dataset_size, 60000);
        QCOMPARE(a->class_counts, std::vector<std::int64_t>(10, 6000));
        QCOMPARE(a->class_names.size(), std::size_t(10));
        QCOMPARE(a->drawn_per_class, std::vector<std::int64_t>(10, 18000));
        QCOMPARE(a->epochs[0].batch_sizes.size(), std::size_t(938));
        QCOMPARE(a->epochs[0].batch_sizes.back(), 60000 - 937 * 64);
        QCOMPARE(a->never_drawn, 0);
        QCOMPARE(a->duplicates, 0);
    }
};

QTEST_GUILESS_MAIN(TstLoaderAnalysis)
#include "tst_loader_analysis.moc"
