// DataLoader against PyTorch 1.13: batch index lists over several epochs for many settings and
// seeds (each epoch draws a base seed, then the sampler), worker seeding, argument errors; and
// the threaded workers: order kept, errors reaching the caller, timeouts, no thread left behind.
// Goldens: tests/golden/gen_data.py.

#include "data/dataloader.h"
#include "data/dataloader_iterator.h"
#include "data/distributed_sampler.h"
#include "data/random_sampler.h"
#include "data/subset_random_sampler.h"
#include "data/weighted_random_sampler.h"
#include "data_golden.h"

#include <QtTest>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

using namespace nnscope;
using namespace nnscope::data;
using nnscope::test::errorOf;
using nnscope::test::GoldenFile;

namespace {

int threadCount() {
    int n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task"))
        ++n;
    return n;
}

// Sample i is [i, worker seed, randint(0, 1000) from the worker's generator], as SeedReporter.
class SeedReporter : public Dataset {
public:
    std::int64_t size() const override { return 12; }
    Sample get(std::int64_t i) const override {
        const WorkerInfo* info = get_worker_info();
        if (!info) throw std::runtime_error("SeedReporter: not in a worker");
        const auto draw = randint(0, 1000, {}, *info->generator).to_int64_vector()[0];
        return Sample(Tensor::from_int64({i, static_cast<std::int64_t>(info->seed), draw}, {3}));
    }
    std::string name() const override { return "SeedReporter"; }
};

// Sample i is i, after a delay that makes later samples finish first, or an error at one index.
class SlowRange : public Dataset {
public:
    SlowRange(std::int64_t n, int delay_ms, std::int64_t bad = -1)
        : n_(n)
        , delay_ms_(delay_ms)
        , bad_(bad) {}
    std::int64_t size() const override { return n_; }
    Sample get(std::int64_t i) const override {
        check_index(i);
        if (i == bad_) throw std::runtime_error("sample " + std::to_string(i) + " is broken");
        const int wait = delay_ms_ * static_cast<int>((n_ - i) % 4);
        std::this_thread::sleep_for(std::chrono::milliseconds(wait));
        return Sample(i);
    }
    std::string name() const override { return "SlowRange"; }

private:
    std::int64_t n_;
    int delay_ms_;
    std::int64_t bad_;
};

std::vector<std::int64_t> drain(DataLoader& loader, std::vector<std::int64_t>* lengths = nullptr) {
    std::vector<std::int64_t> out;
    auto it = loader.iter();
    while (auto batch = it->next()) {
        const auto values = batch->data.is_tensor() ? batch->data.tensor().to_int64_vector()
                                                    : std::vector{batch->data.integer()};
        if (values != batch->indices) throw std::runtime_error("data and indices disagree");
        out.insert(out.end(), values.begin(), values.end());
        if (lengths) lengths->push_back(static_cast<std::int64_t>(values.size()));
    }
    return out;
}

} // namespace

class TestDataLoader : public QObject {
    Q_OBJECT

private slots:
    void goldenBatchOrder() {
        const GoldenFile file("data/loader.safetensors");
        int checked = 0;
        for (const auto& c : test::casesOf(file)) {
            if (!c.contains("sampler")) continue;
            const std::int64_t n = c["n"];
            auto gen = test::generatorOf(c);
            DataLoaderOptions o;
            o.batch_size = c["batch_size"].is_null()
                               ? std::nullopt
                               : std::optional<std::int64_t>(c["batch_size"].get<std::int64_t>());
            o.shuffle = c["shuffle"];
            o.drop_last = c["drop_last"];
            o.generator = gen;
            const std::string kind = c["sampler"];
            std::shared_ptr<DistributedSampler> distributed;
            if (kind == "random-replacement") {
                o.sampler = std::make_shared<RandomSampler>(n, true, 30, gen);
            } else if (kind == "subset") {
                std::vector<std::int64_t> idx;
                for (std::int64_t i = 5; i < 17; ++i)
                    idx.push_back(i);
                o.sampler = std::make_shared<SubsetRandomSampler>(idx, gen);
            } else if (kind == "weighted") {
                std::vector<double> w;
                for (std::int64_t i = 0; i < n; ++i)
                    w.push_back(static_cast<double>(i % 3 + 1));
                o.sampler = std::make_shared<WeightedRandomSampler>(w, 20, true, gen);
            } else if (kind == "distributed") {
                distributed = std::make_shared<DistributedSampler>(n, 3, 1, true, 11);
                o.sampler = distributed;
            }
            DataLoader loader(std::make_shared<RangeDataset>(n), o);
            std::vector<std::int64_t> got, lengths;
            for (int epoch = 0; epoch < 3; ++epoch) {
                if (distributed) distributed->set_epoch(epoch);
                const auto e = drain(loader, o.batch_size ? &lengths : nullptr);
                got.insert(got.end(), e.begin(), e.end());
                // Without batching the script records one length per epoch.
                if (!o.batch_size) lengths.push_back(static_cast<std::int64_t>(e.size()));
            }
            if (got != test::goldenInts(file, c["name"].get<std::string>() + "/indices"))
                QFAIL(qPrintable(QString::fromStdString("indices differ in " + c.dump())));
            QCOMPARE(lengths, test::goldenInts(file, c["name"].get<std::string>() + "/lengths"));
            QCOMPARE(test::afterDraws(gen),
                     test::goldenInts(file, c["name"].get<std::string>() + "/after"));
            ++checked;
        }
        QVERIFY(checked > 50);
    }

    void goldenWorkerSeeds() {
        // Batch b is fetched by worker b % W, whose generator is seeded base_seed + W.
        const GoldenFile file("data/loader.safetensors");
        int checked = 0;
        for (const auto& c : test::casesOf(file)) {
            if (!c.contains("workers")) continue;
            DataLoaderOptions o;
            o.batch_size = c["batch_size"].get<std::int64_t>();
            o.shuffle = true;
            o.num_workers = c["workers"];
            o.generator = std::make_shared<Generator>(std::stoull(c["seed"].get<std::string>()));
            DataLoader loader(std::make_shared<SeedReporter>(), o);
            std::vector<Tensor> batches;
            auto it = loader.iter();
            while (auto b = it->next())
                batches.push_back(b->data.tensor());
            const Tensor expected = file.tensor(c["name"].get<std::string>() + "/batches");
            QCOMPARE(static_cast<std::int64_t>(batches.size()), expected.size(0));
            for (std::size_t k = 0; k < batches.size(); ++k)
                NNSCOPE_COMPARE_TENSORS_EXACT(batches[k],
                                              expected.select(0, static_cast<std::int64_t>(k)));
            ++checked;
        }
        QCOMPARE(checked, 2);
    }

    void argumentErrors_data() {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("workers") << 0
                                 << "num_workers option should be non-negative; use "
                                    "num_workers=0 to disable multiprocessing.";
        QTest::newRow("timeout") << 1 << "timeout option should be non-negative";
        QTest::newRow("prefetch") << 2
                                  << "prefetch_factor option could only be specified in "
                                     "multiprocessing.let num_workers > 0 to enable "
                                     "multiprocessing.";
        QTest::newRow("persistent") << 3 << "persistent_workers option needs num_workers > 0";
        QTest::newRow("sampler+shuffle")
            << 4 << "sampler option is mutually exclusive with shuffle";
        QTest::newRow("batch_sampler+batch_size")
            << 5
            << "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
               "drop_last";
        QTest::newRow("batch_sampler+drop_last")
            << 6
            << "batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and "
               "drop_last";
        QTest::newRow("None+drop_last") << 7
                                        << "batch_size=None option disables auto-batching and is "
                                           "mutually exclusive with drop_last";
        QTest::newRow("batch_size=0")
            << 8 << "batch_size should be a positive integer value, but got batch_size=0";
        QTest::newRow("shuffle empty")
            << 9 << "num_samples should be a positive integer value, but got num_samples=0";
    }
    void argumentErrors() {
        QFETCH(int, which);
        QFETCH(QString, message);
        auto data = std::make_shared<RangeDataset>(which == 9 ? 0 : 10);
        DataLoaderOptions o;
        switch (which) {
        case 0:
            o.num_workers = -1;
            break;
        case 1:
            o.timeout = -1;
            break;
        case 2:
            o.prefetch_factor = 4;
            break;
        case 3:
            o.persistent_workers = true;
            break;
        case 4:
            o.sampler = std::make_shared<RandomSampler>(10);
            o.shuffle = true;
            break;
        case 5:
            o.batch_sampler =
                std::make_shared<BatchSampler>(std::make_shared<RandomSampler>(10), 2, false);
            o.batch_size = 4;
            break;
        case 6:
            o.batch_sampler =
                std::make_shared<BatchSampler>(std::make_shared<RandomSampler>(10), 2, false);
            o.drop_last = true;
            break;
        case 7:
            o.batch_size.reset();
            o.drop_last = true;
            break;
        case 8:
            o.batch_size = 0;
            break;
        case 9:
            o.shuffle = true;
            break;
        }
        QCOMPARE(errorOf([&] { DataLoader(data, o); }), message);
    }

    void batchSamplerAndNoBatching() {
        DataLoaderOptions o;
        o.batch_sampler =
            std::make_shared<BatchSampler>(std::make_shared<RandomSampler>(7), 3, true);
        DataLoader loader(std::make_shared<RangeDataset>(7), o);
        QCOMPARE(loader.size(), 2);
        QCOMPARE(drain(loader).size(), std::size_t{6});
        DataLoaderOptions single;
        single.batch_size.reset();
        DataLoader unbatched(std::make_shared<RangeDataset>(4), single);
        auto it = unbatched.iter();
        auto first = it->next();
        QVERIFY(first && first->data.is_int()); // default_convert keeps Python ints
        QCOMPARE(first->data.integer(), 0);
    }

    void pinMemoryWarns() {
        DataLoaderOptions o;
        o.pin_memory = true;
        DataLoader loader(std::make_shared<RangeDataset>(3), o);
        QCOMPARE(loader.warnings().size(), std::size_t{1});
        QVERIFY(QString::fromStdString(loader.warnings()[0]).contains("no GPU"));
    }

    void workersKeepOrder() {
        for (int workers = 2; workers <= 4; ++workers) {
            manual_seed(static_cast<std::uint64_t>(workers));
            DataLoaderOptions single;
            single.batch_size = 3;
            single.shuffle = true;
            DataLoader reference(std::make_shared<RangeDataset>(40), single);
            const auto expected = drain(reference);

            manual_seed(static_cast<std::uint64_t>(workers));
            DataLoaderOptions o = single;
            o.num_workers = workers;
            std::atomic<int> inits{0};
            o.worker_init_fn = [&](int) { ++inits; };
            DataLoader loader(std::make_shared<SlowRange>(40, 2), o);
            QCOMPARE(drain(loader), expected);
            QCOMPARE(inits.load(), workers);
        }
    }

    void persistentWorkersKeepSeed() {
        DataLoaderOptions o;
        o.batch_size = 2;
        o.shuffle = true;
        o.num_workers = 2;
        o.persistent_workers = true;
        o.generator = std::make_shared<Generator>(3);
        DataLoader loader(std::make_shared<RangeDataset>(9), o);
        const auto first = loader.iter();
        drain(loader); // a second epoch on the same iterator
        QCOMPARE(loader.iter().get(), first.get());
        // PyTorch draws the base seed once: afterwards only the permutations used the generator,
        // two per epoch (RandomSampler also draws the permutation it cuts to num_samples % n).
        Generator ref(3);
        random_int64(ref);
        for (int e = 0; e < 3 * 2; ++e)
            randperm(9, ref);
        QCOMPARE(random_int64(*o.generator), random_int64(ref));
    }

    void workerErrorNamesWorkerAndIndex() {
        DataLoaderOptions o;
        o.batch_size = 2;
        o.num_workers = 2;
        DataLoader loader(std::make_shared<SlowRange>(10, 1, 5), o);
        auto it = loader.iter();
        QVERIFY(it->next());                                  // [0, 1] on worker 0
        QVERIFY(it->next());                                  // [2, 3] on worker 1
        const QString message = errorOf([&] { it->next(); }); // [4, 5] on worker 0
        QVERIFY2(message.contains("DataLoader worker 0") && message.contains("sample index 5") &&
                     message.contains("is broken"),
                 qPrintable(message));
        QVERIFY(it->next()); // later batches still come, as in PyTorch
    }

    void mainThreadErrorNamesIndex() {
        DataLoaderOptions o;
        DataLoader loader(std::make_shared<SlowRange>(4, 0, 2), o);
        auto it = loader.iter();
        it->next();
        it->next();
        const QString message = errorOf([&] { it->next(); });
        QVERIFY2(message.contains("sample index 2"), qPrintable(message));
    }

    void earlyDestructionJoinsThreads() {
        const int before = threadCount();
        {
            DataLoaderOptions o;
            o.batch_size = 1;
            o.num_workers = 4;
            o.prefetch_factor = 3;
            DataLoader loader(std::make_shared<SlowRange>(1000, 3), o);
            auto it = loader.iter();
            QCOMPARE(threadCount(), before + 4);
            QVERIFY(it->next());
        }
        QCOMPARE(threadCount(), before);
    }

    void prefetchIsBounded() {
        // Counts get() calls: with 2 workers and prefetch_factor 3, PyTorch hands out 6 tasks,
        // then one more per batch taken, so after one batch exactly 7 samples were fetched.
        struct Counting : Dataset {
            mutable std::atomic<int> calls{0};
            std::int64_t size() const override { return 100; }
            Sample get(std::int64_t i) const override {
                ++calls;
                return Sample(i);
            }
            std::string name() const override { return "Counting"; }
        };
        auto data = std::make_shared<Counting>();
        DataLoaderOptions o;
        o.num_workers = 2;
        o.prefetch_factor = 3;
        DataLoader loader(data, o);
        auto it = loader.iter();
        QVERIFY(it->next());
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        QCOMPARE(data->calls.load(), 7);
    }

    void timeoutRaises() {
        DataLoaderOptions o;
        o.batch_size = 1;
        o.num_workers = 1;
        o.timeout = 0.05;
        DataLoader loader(std::make_shared<SlowRange>(4, 150), o); // sample 0 waits 0 ms...
        auto it = loader.iter();
        QVERIFY(it->next());
        const QString message = errorOf([&] { it->next(); }); // ...sample 1 waits 450 ms
        QCOMPARE(message, QStringLiteral("DataLoader timed out after 0.05 seconds"));
    }
};

QTEST_GUILESS_MAIN(TestDataLoader)
#include "tst_dataloader.moc"
