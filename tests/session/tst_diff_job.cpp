// DiffJob through a JobController (its worker thread), on the checkpoints of
// tests/golden/gen_diff.py: a pair arrives as one sorted comparison after its progress, a folder
// as one series; of a burst of requests only the newest one's result arrives; an unreadable file
// fails naming it; a cancelled job delivers nothing more.

#include "session/diff_job.h"
#include "session/job_controller.h"

#include <QtTest>
#include <vector>

using namespace nnscope;
using session::DiffJob;

namespace {

std::string golden(const char* file) {
    return std::string(NNSCOPE_GOLDEN_DIR "/diff/") + file;
}

struct Received {
    std::vector<double> progress;
    std::vector<session::DiffResultPtr> diffs;
    std::vector<session::SeriesResultPtr> series;
    std::vector<std::string> failures;
    std::size_t results() const { return diffs.size() + series.size() + failures.size(); }
};

class Jobs {
public:
    explicit Jobs(QObject* receiver)
        : jobs(QStringLiteral("test diff")) {
        jobs.add<DiffJob>();
        jobs.start();
        jobs.on<DiffJob, session::DiffProgress>(receiver, [this](const session::DiffProgress& p) {
            got.progress.push_back(p.fraction);
        });
        jobs.on<DiffJob, session::DiffResultPtr>(
            receiver, [this](const session::DiffResultPtr& d) { got.diffs.push_back(d); });
        jobs.on<DiffJob, session::SeriesResultPtr>(
            receiver, [this](const session::SeriesResultPtr& s) { got.series.push_back(s); });
        jobs.on<DiffJob, session::DiffFailed>(
            receiver, [this](const session::DiffFailed& f) { got.failures.push_back(f.message); });
    }
    session::JobController jobs;
    Received got;
};

} // namespace

class TestDiffJob : public QObject {
    Q_OBJECT
private slots:
    void pairArrivesSorted();
    void folderArrivesAsSeries();
    void newestRequestWins();
    void unreadableFileFails();
};

void TestDiffJob::pairArrivesSorted() {
    Jobs j(this);
    j.jobs.request<DiffJob>({golden("a.pt"), golden("b.pt"), 16});
    QTRY_COMPARE_WITH_TIMEOUT(j.got.results(), std::size_t(1), 10000);
    QCOMPARE(j.got.diffs.size(), std::size_t(1));
    const workflows::CheckpointDiff& d = *j.got.diffs.front();
    QCOMPARE(d.tensors.size(), std::size_t(10));
    QCOMPARE(d.tensors.front().name, std::string("extra.nan"));
    QCOMPARE(d.bins, 16);
    QVERIFY(!j.got.progress.empty()); // begin() reports 0 at least
    for (double p : j.got.progress)
        QVERIFY(p >= 0 && p <= 1);
}

void TestDiffJob::folderArrivesAsSeries() {
    Jobs j(this);
    j.jobs.request<DiffJob>({golden("epochs"), {}, 64});
    QTRY_COMPARE_WITH_TIMEOUT(j.got.results(), std::size_t(1), 10000);
    QCOMPARE(j.got.series.size(), std::size_t(1));
    QCOMPARE(j.got.series.front()->files,
             (std::vector<std::string>{"epoch_1.pt", "epoch_2.pt", "epoch_10.pt"}));
}

void TestDiffJob::newestRequestWins() {
    Jobs j(this);
    for (int i = 0; i < 20; ++i)
        j.jobs.request<DiffJob>({golden("a.pt"), golden("b.pt"), 4 + i});
    j.jobs.request<DiffJob>({golden("epochs"), {}, 64});
    QTRY_COMPARE_WITH_TIMEOUT(j.got.results(), std::size_t(1), 10000);
    QTest::qWait(300); // nothing else follows
    QCOMPARE(j.got.results(), std::size_t(1));
    QCOMPARE(j.got.series.size(), std::size_t(1));
}

void TestDiffJob::unreadableFileFails() {
    Jobs j(this);
    j.jobs.request<DiffJob>({golden("a.pt"), golden("nothing_here.pt"), 64});
    QTRY_COMPARE_WITH_TIMEOUT(j.got.results(), std::size_t(1), 10000);
    QCOMPARE(j.got.failures.size(), std::size_t(1));
    QVERIFY2(j.got.failures.front().find("nothing_here.pt") != std::string::npos,
             j.got.failures.front().c_str());
    j.jobs.request<DiffJob>({golden("expected.json"), {}, 64}); // a file, not a folder
    QTRY_COMPARE_WITH_TIMEOUT(j.got.results(), std::size_t(2), 10000);
    QVERIFY2(j.got.failures.back().find("not a folder") != std::string::npos,
             j.got.failures.back().c_str());
}

QTEST_GUILESS_MAIN(TestDiffJob)
#include "tst_diff_job.moc"
