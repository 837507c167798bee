// LoaderAnalysisJob through a JobController (its worker thread): the analysis equals
// analyse_loader's run directly; a burst of requests ends with the newest one's analysis only; a
// bad configuration fails naming its field; a cancel delivers nothing and frees the worker within
// milliseconds.

#include "data/loader_config.h"
#include "session/job_controller.h"
#include "session/loader_analysis_job.h"
#include "session/range_config.h"

#include <QElapsedTimer>
#include <QtTest>
#include <string>
#include <vector>

using namespace nnscope;
using session::JobController;
using session::LoaderAnalysisJob;

namespace {

data::DataLoaderConfig range_config(std::int64_t n, std::int64_t batch_size, std::uint64_t seed) {
    return test::range_config(n, batch_size, seed, 3);
}

class Lab {
public:
    Lab() {
        jobs.add<LoaderAnalysisJob>();
        jobs.start();
        jobs.on<LoaderAnalysisJob, workflows::LoaderAnalysisPtr>(
            &receiver, [this](const auto& v) { analyses.push_back(v); });
        jobs.on<LoaderAnalysisJob, session::LoaderFailed>(
            &receiver, [this](const auto& v) { failures.push_back(v); });
    }
    bool ended() const { return !analyses.empty() || !failures.empty(); }

    QObject receiver;
    JobController jobs{QStringLiteral("tst_loader_analysis_job")};
    std::vector<workflows::LoaderAnalysisPtr> analyses;
    std::vector<session::LoaderFailed> failures;
};

} // namespace

class TstLoaderAnalysisJob : public QObject {
    Q_OBJECT
private slots:
    void givesTheDirectAnalysis() {
        const auto config = range_config(100, 8, 7);
        const auto direct = workflows::analyse_loader(config);
        Lab lab;
        lab.jobs.request<LoaderAnalysisJob>(config);
        QTRY_VERIFY_WITH_TIMEOUT(lab.ended(), 10000);
        QVERIFY(lab.failures.empty());
        const auto& a = *lab.analyses.at(0);
        QCOMPARE(a.config, config);
        QCOMPARE(a.epochs.size(), std::size_t(3));
        for (std::size_t e = 0; e < 3; ++e) {
            QCOMPARE(a.epochs[e].order, direct->epochs[e].order);
            QCOMPARE(a.epochs[e].batch_sizes, direct->epochs[e].batch_sizes);
            QCOMPARE(a.epochs[e].base_seed, direct->epochs[e].base_seed);
        }
    }

    void burstEndsWithTheNewest() {
        Lab lab;
        for (int seed = 0; seed < 50; ++seed)
            lab.jobs.request<LoaderAnalysisJob>(range_config(60000, 2, std::uint64_t(seed)));
        const auto newest = range_config(30, 4, 99);
        lab.jobs.request<LoaderAnalysisJob>(newest);
        QTRY_VERIFY_WITH_TIMEOUT(lab.ended(), 30000);
        QTest::qWait(100); // anything late would arrive now
        QVERIFY(lab.failures.empty());
        QCOMPARE(lab.analyses.size(), std::size_t(1));
        QCOMPARE(lab.analyses[0]->config, newest);
        QCOMPARE(lab.analyses[0]->epochs[0].order,
                 workflows::analyse_loader(newest)->epochs[0].order);
    }

    void badConfigurationNamesTheField() {
        Lab lab;
        auto config = range_config(10, 2, 1);
        config.dataset = "range:ten";
        lab.jobs.request<LoaderAnalysisJob>(config);
        QTRY_VERIFY_WITH_TIMEOUT(lab.ended(), 10000);
        QCOMPARE(lab.failures.size(), std::size_t(1));
        QCOMPARE(lab.failures[0].field, std::string("dataset"));
        QVERIFY2(lab.failures[0].message.find("'ten'") != std::string::npos,
                 lab.failures[0].message.c_str());
        QVERIFY(lab.analyses.empty());

        lab.failures.clear();
        config = range_config(10, 2, 1);
        config.sampler = data::DistributedSamplerArgs{2, 2, true, 0, false, 0}; // rank >= replicas
        config.shuffle = false;
        lab.jobs.request<LoaderAnalysisJob>(config);
        QTRY_VERIFY_WITH_TIMEOUT(lab.ended(), 10000);
        QCOMPARE(lab.failures.size(), std::size_t(1));
        QCOMPARE(lab.failures[0].field, std::string("sampler.rank"));
        QVERIFY(lab.analyses.empty());
    }

    // A large analysis (4,000,000 indices x 3 epochs: about a second in the dev build) cancelled
    // while it runs delivers nothing, and frees the worker: the next request is answered soon.
    void cancelDropsTheResult() {
        Lab lab;
        const auto big = range_config(4000000, 64, 5);
        lab.jobs.request<LoaderAnalysisJob>(big);
        QTest::qWait(30);
        lab.jobs.cancel<LoaderAnalysisJob>();
        QElapsedTimer timer;
        timer.start();
        QTest::qWait(1500);
        QVERIFY(lab.analyses.empty() && lab.failures.empty());
        timer.restart();
        lab.jobs.request<LoaderAnalysisJob>(range_config(20, 5, 1));
        QTRY_VERIFY_WITH_TIMEOUT(lab.ended(), 10000);
        qInfo("the next request answered in %lld ms", static_cast<long long>(timer.elapsed()));
        QVERIFY(lab.failures.empty());
        QCOMPARE(lab.analyses.size(), std::size_t(1));
        QCOMPARE(lab.analyses[0]->dataset_size, 20);
        QCOMPARE(lab.analyses[0]->batches(), 12);
        // Uncancelled, the big one takes long enough that the wait above proves the cancel.
        timer.restart();
        QVERIFY(workflows::analyse_loader(big));
        qInfo("uncancelled: %lld ms", static_cast<long long>(timer.elapsed()));
    }
};

QTEST_GUILESS_MAIN(TstLoaderAnalysisJob)
#include "tst_loader_analysis_job.moc"
