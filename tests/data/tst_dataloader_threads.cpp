// DataLoader workers and the engine's threads: a worker's samples and collate see one engine
// thread (parallel::ThreadCap(1)), whatever the process-wide setting, so num_workers threads do
// not each start a team on cores the training loop uses; the loop's own thread keeps the setting.

#include "data/dataloader.h"
#include "data/dataloader_iterator.h"
#include "engine/parallel.h"

#include <QtTest>

using namespace nnscope;
using namespace nnscope::data;

namespace {

// Sample i is [i, parallel::num_threads() on the thread that fetched it].
class ThreadsReporter : public Dataset {
public:
    std::int64_t size() const override { return 10; }
    Sample get(std::int64_t i) const override {
        check_index(i);
        return Sample(Tensor::from_int64({i, parallel::num_threads()}, {2}));
    }
    std::string name() const override { return "ThreadsReporter"; }
};

// The engine threads seen for each sample of one epoch, in sample order.
std::vector<std::int64_t> threads_seen(int num_workers) {
    DataLoaderOptions options;
    options.batch_size = 2;
    options.num_workers = num_workers;
    DataLoader loader(std::make_shared<ThreadsReporter>(), options);
    std::vector<std::int64_t> seen;
    auto it = loader.iter();
    while (auto batch = it->next()) {
        const std::vector<std::int64_t> v = batch->data.tensor().to_int64_vector(); // [2, 2]
        for (std::size_t k = 1; k < v.size(); k += 2)
            seen.push_back(v[k]);
    }
    return seen;
}

// Restores the process-wide setting a test changed.
struct SettingGuard {
    int saved = parallel::configured_threads();
    ~SettingGuard() { parallel::set_num_threads(saved); }
};

} // namespace

class TestDataLoaderThreads : public QObject {
    Q_OBJECT

private slots:
    void workersRunOnOneEngineThread_data() {
        QTest::addColumn<int>("workers");
        QTest::newRow("1 worker") << 1;
        QTest::newRow("2 workers") << 2;
        QTest::newRow("3 workers") << 3;
    }

    void workersRunOnOneEngineThread() {
        QFETCH(int, workers);
        SettingGuard guard;
        parallel::set_num_threads(3);
        const std::vector<std::int64_t> seen = threads_seen(workers);
        QCOMPARE(seen, std::vector<std::int64_t>(10, 1));
        // The cap is the worker's own: the thread that iterates keeps the setting.
        QCOMPARE(parallel::num_threads(), 3);
    }

    void mainThreadFetchKeepsTheSetting() {
        // num_workers = 0 fetches on the calling thread, which is the training loop itself.
        SettingGuard guard;
        parallel::set_num_threads(3);
        QCOMPARE(threads_seen(0), std::vector<std::int64_t>(10, 3));
        const parallel::ThreadCap cap(2);
        QCOMPARE(threads_seen(0), std::vector<std::int64_t>(10, 2));
    }
};

QTEST_GUILESS_MAIN(TestDataLoaderThreads)
#include "tst_dataloader_threads.moc"
