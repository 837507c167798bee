// ThroughputJob through a JobController (its own worker thread): one point, then a sweep's five
// in order between ThroughputStarted and ThroughputFinished; a bad value fails naming its field
// before anything loads; a cancel in the middle of a sweep delivers nothing more.

#include "session/job_controller.h"
#include "session/throughput_job.h"

#include <QtTest>
#include <string>
#include <vector>

using namespace nnscope;
using session::ThroughputJob;
using session::ThroughputRequest;

namespace {

struct Received {
    std::vector<std::string> order; // "started", "point", "finished", "failed"
    std::vector<session::ThroughputStarted> started;
    std::vector<workflows::ThroughputPoint> points;
    std::vector<session::LoaderFailed> failures;
    bool ended() const {
        return !order.empty() && (order.back() == "finished" || order.back() == "failed");
    }
};

class Speed {
public:
    Speed() {
        jobs.add<ThroughputJob>();
        jobs.start();
        jobs.on<ThroughputJob, session::ThroughputStarted>(&receiver, [this](const auto& v) {
            got.order.push_back("started");
            got.started.push_back(v);
        });
        jobs.on<ThroughputJob, session::ThroughputPointPtr>(&receiver, [this](const auto& v) {
            got.order.push_back("point");
            got.points.push_back(*v);
        });
        jobs.on<ThroughputJob, session::ThroughputFinished>(
            &receiver, [this](const auto&) { got.order.push_back("finished"); });
        jobs.on<ThroughputJob, session::LoaderFailed>(&receiver, [this](const auto& v) {
            got.order.push_back("failed");
            got.failures.push_back(v);
        });
    }
    QObject receiver;
    session::JobController jobs{QStringLiteral("tst_throughput_job")};
    Received got;
};

data::DataLoaderConfig rangeConfig(std::int64_t n, std::int64_t batch, int workers = 0) {
    data::DataLoaderConfig c;
    c.dataset = "range:" + std::to_string(n);
    c.batch_size = batch;
    c.num_workers = workers;
    return c;
}

} // namespace

class TestThroughputJob : public QObject {
    Q_OBJECT

private slots:
    void onePoint() {
        Speed s;
        s.jobs.request<ThroughputJob>(
            {rangeConfig(100, 10, 1), ThroughputRequest::Mode::Single, {60, 25}});
        QTRY_VERIFY_WITH_TIMEOUT(s.got.ended(), 30000);
        QCOMPARE(s.got.order, (std::vector<std::string>{"started", "point", "finished"}));
        QCOMPARE(s.got.started[0].workers, std::vector<int>{1});
        QVERIFY(s.got.started[0].machine.cores >= 1);
        QCOMPARE(s.got.points[0].num_workers, 1);
        QCOMPARE(s.got.points[0].batches, std::int64_t{25});
        QCOMPARE(s.got.points[0].samples, std::int64_t{250});
    }

    void sweep() {
        Speed s;
        auto c = rangeConfig(100, 10, 3);
        c.prefetch_factor = 3;
        s.jobs.request<ThroughputJob>({c, ThroughputRequest::Mode::Sweep, {60, 12}});
        QTRY_VERIFY_WITH_TIMEOUT(s.got.ended(), 30000);
        QCOMPARE(s.got.order.size(), std::size_t{7});
        QCOMPARE(s.got.order.front(), std::string("started"));
        QCOMPARE(s.got.order.back(), std::string("finished"));
        QCOMPARE(s.got.started[0].workers, (std::vector<int>{0, 1, 2, 3, 4}));
        for (int k = 0; k < 5; ++k) {
            QCOMPARE(s.got.points[static_cast<std::size_t>(k)].num_workers, k);
            QCOMPARE(s.got.points[static_cast<std::size_t>(k)].samples, std::int64_t{120});
        }
    }

    void badValueNamesItsField() {
        Speed s;
        auto c = rangeConfig(100, 10);
        c.num_workers = -1;
        s.jobs.request<ThroughputJob>({c, ThroughputRequest::Mode::Sweep, {}});
        QTRY_VERIFY_WITH_TIMEOUT(s.got.ended(), 30000);
        QCOMPARE(s.got.order, std::vector<std::string>{"failed"});
        QCOMPARE(s.got.failures[0].field, std::string("num_workers"));
    }

    void cancelMidSweep() {
        Speed s;
        s.jobs.request<ThroughputJob>(
            {rangeConfig(100000, 2), ThroughputRequest::Mode::Sweep, {0.3, 100'000'000}});
        QTRY_VERIFY_WITH_TIMEOUT(!s.got.points.empty(), 30000);
        s.jobs.cancel<ThroughputJob>();
        const auto seen = s.got.order.size();
        QTest::qWait(1200);
        QCOMPARE(s.got.order.size(), seen);
        QVERIFY(s.got.points.size() < 5);
    }
};

QTEST_MAIN(TestThroughputJob)
#include "tst_throughput_job.moc"
