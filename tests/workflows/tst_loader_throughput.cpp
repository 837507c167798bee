// workflows::measure_throughput and sweep_num_workers: real batches counted and timed within the
// budget, latencies that add up, cancellation that stops within one batch, the sweep's points in
// order, the machine's load, the verdict and the CSV; and on real data with a slow transform,
// two workers faster than none on a machine with two free cores.

#include "data/config_error.h"
#include "workflows/loader_throughput.h"

#include <QFile>
#include <QtTest>
#include <chrono>
#include <cmath>
#include <thread>

using namespace nnscope;
using namespace nnscope::data;
using namespace nnscope::workflows;

namespace {

DataLoaderConfig rangeConfig(std::int64_t n, std::int64_t batch, int workers) {
    DataLoaderConfig c;
    c.dataset = "range:" + std::to_string(n);
    c.batch_size = batch;
    c.num_workers = workers;
    return c;
}

void checkPoint(const ThroughputPoint& p) {
    QVERIFY(p.complete);
    QVERIFY(p.batches > 0);
    QCOMPARE(p.latency_ms.size(), static_cast<std::size_t>(p.batches - 1));
    QVERIFY(std::isfinite(p.samples_per_second) && p.samples_per_second > 0);
    QVERIFY(std::isfinite(p.seconds) && p.seconds > 0);
    QVERIFY(p.first_batch_ms > 0);
    for (double l : p.latency_ms)
        QVERIFY(std::isfinite(l) && l >= 0);
    QVERIFY(p.median_ms <= p.p90_ms && p.p90_ms <= p.max_ms);
    // The waits are part of the whole run.
    double sum = p.first_batch_ms;
    for (double l : p.latency_ms)
        sum += l;
    QVERIFY(sum <= p.seconds * 1000 + 1e-6);
    QCOMPARE(p.samples_per_second, static_cast<double>(p.samples) / p.seconds);
}

bool fashionMnist() {
    return QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
}

} // namespace

class TestLoaderThroughput : public QObject {
    Q_OBJECT

private slots:
    void batchBudgetAcrossEpochs_data() {
        QTest::addColumn<int>("workers");
        QTest::newRow("main thread") << 0;
        QTest::newRow("2 workers") << 2;
    }
    void batchBudgetAcrossEpochs() {
        QFETCH(int, workers);
        // 8 batches an epoch: 20 batches need three epochs.
        const auto p = measure_throughput(rangeConfig(64, 8, workers), {60, 20});
        checkPoint(p);
        QCOMPARE(p.num_workers, workers);
        QCOMPARE(p.batches, std::int64_t{20});
        QCOMPARE(p.samples, std::int64_t{160});
    }

    void timeBudget() {
        // Batches of a few microseconds: the time bound ends it, long before 10 M batches.
        const auto start = std::chrono::steady_clock::now();
        const auto p = measure_throughput(rangeConfig(1000, 10, 0), {0.2, 10'000'000});
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        checkPoint(p);
        QVERIFY2(p.seconds >= 0.2 && p.seconds < 0.2 + 1.0, qPrintable(QString::number(p.seconds)));
        QVERIFY(s < 5);
        QCOMPARE(p.samples, p.batches * 10);
    }

    void lastBatchOfAnEpochCounts() {
        // range:10 in batches of 4: 4 + 4 + 2 samples an epoch.
        const auto p = measure_throughput(rangeConfig(10, 4, 0), {60, 6});
        QCOMPARE(p.samples, std::int64_t{20});
    }

    void epochWithoutBatchesEnds() {
        auto c = rangeConfig(3, 4, 0);
        c.drop_last = true; // nothing left of the only batch
        const auto p = measure_throughput(c, {60, 100});
        QCOMPARE(p.batches, std::int64_t{0});
        QCOMPARE(p.samples_per_second, 0.0);
    }

    void badConfigurationNamesTheField() {
        auto c = rangeConfig(10, 0, 0);
        try {
            measure_throughput(c, {});
            QFAIL("no error");
        } catch (const ConfigError& e) {
            QCOMPARE(e.field(), std::string("batch_size"));
        }
    }

    void cancelStopsWithinABatch() {
        std::atomic<bool> cancel{false};
        std::thread raiser([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            cancel = true;
        });
        const auto start = std::chrono::steady_clock::now();
        // Budget: 30 s; the flag comes after 0.1 s.
        const auto p = measure_throughput(rangeConfig(1000, 10, 2), {30, 100'000'000}, &cancel);
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        raiser.join();
        QVERIFY(!p.complete);
        QVERIFY2(s < 3, qPrintable(QString::number(s)));
        QVERIFY(p.batches > 0);
    }

    void sweepInOrder() {
        auto c = rangeConfig(200, 10, 3);
        c.prefetch_factor = 4; // refused without workers: the sweep's 0 point resets it
        c.persistent_workers = true;
        std::vector<int> told;
        const auto points = sweep_num_workers(
            c, {60, 30}, nullptr, [&](const ThroughputPoint& p) { told.push_back(p.num_workers); });
        QCOMPARE(points.size(), std::size_t{5});
        QCOMPARE(told, (std::vector<int>{0, 1, 2, 3, 4}));
        for (int k = 0; k < 5; ++k) {
            checkPoint(points[static_cast<std::size_t>(k)]);
            QCOMPARE(points[static_cast<std::size_t>(k)].num_workers, k);
            QCOMPARE(points[static_cast<std::size_t>(k)].samples, std::int64_t{300});
        }
    }

    void cancelledSweepReturnsNothingMore() {
        std::atomic<bool> cancel{true};
        int told = 0;
        const auto points = sweep_num_workers(rangeConfig(50, 5, 0), {60, 10}, &cancel,
                                              [&](const ThroughputPoint&) { ++told; });
        QVERIFY(points.empty());
        QCOMPARE(told, 0);
    }

    void quantiles() {
        QCOMPARE(quantile({}, 0.5), 0.0);
        QCOMPARE(quantile({4, 1, 3, 2}, 0.5), 2.5);
        QCOMPARE(quantile({4, 1, 3, 2}, 0.9), 3.7); // numpy.quantile([1,2,3,4], 0.9)
        QCOMPARE(quantile({4, 1, 3, 2}, 1.0), 4.0);
        QCOMPARE(quantile({7}, 0.9), 7.0);
    }

    void loadAverage() {
        const auto m = parse_loadavg("0.52 0.58 0.59 1/123 4567\n", 2);
        QCOMPARE(m.cores, 2u);
        QCOMPARE(m.load1, 0.52);
        QCOMPARE(m.load15, 0.59);
        QCOMPARE(m.free_cores(), 1.48);
        QCOMPARE(parse_loadavg("3.5 1 1", 2).free_cores(), 0.0);
        const auto unknown = parse_loadavg("", 4);
        QCOMPARE(unknown.load1, -1.0);
        QCOMPARE(unknown.free_cores(), 4.0);
        const auto here = read_machine_load();
        QVERIFY(here.cores >= 1);
        QVERIFY(here.load1 >= 0); // Linux has /proc/loadavg
    }

    void verdict() {
        std::vector<ThroughputPoint> points(5);
        const double rates[] = {1000, 1800, 2000, 1900, 1700};
        for (int k = 0; k < 5; ++k) {
            points[static_cast<std::size_t>(k)].num_workers = k;
            points[static_cast<std::size_t>(k)].samples_per_second = rates[k];
        }
        const auto text = sweep_verdict(points, parse_loadavg("0.5 0.5 0.5", 2));
        QCOMPARE(QString::fromStdString(text),
                 QStringLiteral("Fastest with num_workers=2: 2000 samples/s (2.00x "
                                "num_workers=0). Past the 2 cores more workers only add "
                                "overhead: num_workers=4 gives 1700 samples/s, 15% less."));
        QCOMPARE(sweep_verdict({}, {}), std::string());
        // One measured point: no comparison to make.
        QCOMPARE(QString::fromStdString(sweep_verdict({points[1]}, parse_loadavg("", 2))),
                 QStringLiteral("Fastest with num_workers=1: 1800 samples/s."));
    }

    void csv() {
        ThroughputPoint p;
        p.num_workers = 2;
        p.batches = 10;
        p.samples = 640;
        p.seconds = 0.5;
        p.samples_per_second = 1280;
        p.first_batch_ms = 3.25;
        p.median_ms = 1.5;
        p.p90_ms = 2;
        p.max_ms = 4;
        QCOMPARE(QString::fromStdString(throughput_csv({p})),
                 QStringLiteral("num_workers,batches,samples,seconds,samples_per_second,"
                                "first_batch_ms,median_ms,p90_ms,max_ms\n"
                                "2,10,640,0.5,1280,3.25,1.5,2,4\n"));
    }

    void fashionMnistCountsSamples() {
        if (!fashionMnist())
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        DataLoaderConfig c;
        c.dataset = "fashion-mnist";
        c.batch_size = 32;
        c.shuffle = true;
        c.num_workers = 1;
        c.transform = "Compose([RandomCrop(28, padding=4), ToTensor(), Normalize((0.5,), (0.5,))])";
        const auto p = measure_throughput(c, {60, 12});
        checkPoint(p);
        QCOMPARE(p.samples, std::int64_t{12 * 32});
    }

    void workersBeatTheMainThreadOnASlowTransform() {
        if (!fashionMnist())
            QSKIP("Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        const MachineLoad m = read_machine_load();
        if (m.cores < 2 || m.free_cores() < 1.5)
            QSKIP(qPrintable(QStringLiteral("the cores are busy (%1 cores, load %2): two workers "
                                            "cannot show their gain")
                                 .arg(m.cores)
                                 .arg(m.load1)));
        DataLoaderConfig c;
        c.dataset = "fashion-mnist";
        c.batch_size = 16;
        c.transform = "Compose([Resize(112), RandomRotation(30), ToTensor()])";
        const ThroughputBudget budget{1.5, 400};
        c.num_workers = 0;
        const auto none = measure_throughput(c, budget);
        c.num_workers = 2;
        const auto two = measure_throughput(c, budget);
        QVERIFY2(two.samples_per_second > 1.3 * none.samples_per_second,
                 qPrintable(QStringLiteral("0 workers %1, 2 workers %2 samples/s")
                                .arg(none.samples_per_second)
                                .arg(two.samples_per_second)));
    }
};

QTEST_GUILESS_MAIN(TestLoaderThroughput)
#include "tst_loader_throughput.moc"
