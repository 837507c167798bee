// ThroughputView, the lab's Speed tab: it measures a small range:N configuration on its own
// thread and shows the point, sweeps num_workers 0..4 in order, never measures by itself (a
// changed configuration only makes the numbers stale), stops and shuts down promptly in the
// middle of a sweep, reports a data set it cannot read, and exports the plot and the points.

#include "ui/lab/lab_views.h"
#include "ui/lab/throughput_plots.h"
#include "ui/lab/throughput_view.h"

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>

using namespace nnscope;
using nnscope::ui::ThroughputView;

namespace {

data::DataLoaderConfig rangeConfig(std::int64_t n, std::int64_t batch) {
    data::DataLoaderConfig c;
    c.dataset = "range:" + std::to_string(n);
    c.batch_size = batch;
    return c;
}

constexpr int kWaitMs = 30000;

} // namespace

class TestThroughputView : public QObject {
    Q_OBJECT

private slots:
    void measuresAndShowsAPoint() {
        ThroughputView view;
        QSignalSpy busy(&view, &ThroughputView::busyChanged);
        view.setBudget({0.3, 50});
        view.setConfiguration(rangeConfig(200, 10));
        QVERIFY(!view.isBusy());
        view.measure();
        QVERIFY(view.isBusy());
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
        QCOMPARE(busy.count(), 2);
        QCOMPARE(busy.at(0).at(0).toBool(), true);
        QCOMPARE(busy.at(1).at(0).toBool(), false);
        QCOMPARE(view.points().size(), std::size_t{1});
        const auto& p = view.points().front();
        QCOMPARE(p.num_workers, 0);
        QCOMPARE(p.samples, p.batches * 10);
        QVERIFY(p.samples_per_second > 0);
        QCOMPARE(view.plots()->pointCount(), 1);
        QVERIFY2(view.statusText().contains(QStringLiteral("samples/s")),
                 qPrintable(view.statusText()));
        QVERIFY(view.machineText().contains(QStringLiteral("core")));
        QVERIFY(view.verdictText().isEmpty()); // one point: nothing to compare
    }

    void neverMeasuresByItself() {
        ThroughputView view;
        view.setBudget({0.2, 20});
        view.setConfiguration(rangeConfig(100, 10));
        QTest::qWait(200);
        QVERIFY(!view.isBusy());
        QVERIFY(view.points().empty());
        view.measure();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
        QVERIFY(!view.isStale());

        auto more_epochs = rangeConfig(100, 10);
        more_epochs.epochs = 3; // a measurement runs epochs until its budget anyway
        view.setConfiguration(more_epochs);
        QVERIFY(!view.isStale());

        view.setConfiguration(rangeConfig(100, 20));
        QVERIFY(!view.isBusy());
        QVERIFY(view.isStale());
        QVERIFY2(view.statusText().startsWith(QStringLiteral("Stale")),
                 qPrintable(view.statusText()));
        QCOMPARE(view.points().size(), std::size_t{1}); // still shown
        QCOMPARE(view.points().front().samples, view.points().front().batches * 10);

        view.setConfiguration(rangeConfig(100, 10)); // back to what was measured
        QVERIFY(!view.isStale());
        QVERIFY2(view.statusText().startsWith(QStringLiteral("num_workers=0: ")),
                 qPrintable(view.statusText()));
    }

    void sweepsInOrder() {
        ThroughputView view;
        view.setBudget({0.2, 20});
        auto c = rangeConfig(300, 10);
        c.num_workers = 2;
        view.setConfiguration(c);
        view.sweep();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
        QCOMPARE(view.points().size(), std::size_t{5});
        for (int k = 0; k < 5; ++k)
            QCOMPARE(view.points()[static_cast<std::size_t>(k)].num_workers, k);
        QCOMPARE(view.plots()->pointCount(), 5);
        QVERIFY2(view.verdictText().startsWith(QStringLiteral("Fastest with num_workers=")),
                 qPrintable(view.verdictText()));
        // A sweep varies the workers: another worker count is not a stale sweep.
        c.num_workers = 4;
        view.setConfiguration(c);
        QVERIFY(!view.isStale());
    }

    void stopKeepsThePointsMeasured() {
        ThroughputView view;
        view.setBudget({0.4, 1'000'000});
        view.setConfiguration(rangeConfig(100000, 1));
        view.sweep();
        QTRY_VERIFY_WITH_TIMEOUT(!view.points().empty(), kWaitMs);
        view.stop();
        QVERIFY(!view.isBusy());
        const auto kept = view.points().size();
        QVERIFY(kept < 5);
        QTest::qWait(1000); // the cancelled point and the rest never arrive
        QCOMPARE(view.points().size(), kept);
        QVERIFY(view.statusText().startsWith(QStringLiteral("Stopped")));
    }

    void shutdownDuringASweepIsPrompt() {
        auto view = std::make_unique<ThroughputView>();
        view->setBudget({30, 1'000'000'000}); // 30 s a point: only a cancel ends it soon
        view->setConfiguration(rangeConfig(100000, 4));
        view->sweep();
        QTest::qWait(300);
        QVERIFY(view->isBusy());
        QElapsedTimer timer;
        timer.start();
        view->shutdown();
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(!view->isBusy());
        view->measure(); // after shutdown: refused, nothing starts
        QVERIFY(!view->isBusy());
        view.reset();
    }

    void unreadableDataIsReported() {
        ThroughputView view;
        auto c = rangeConfig(10, 2);
        c.dataset = "mnist:/nonexistent/folder";
        view.setConfiguration(c);
        view.measure();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
        QVERIFY2(view.statusText().startsWith(QStringLiteral("Cannot measure")),
                 qPrintable(view.statusText()));
        QVERIFY(view.points().empty());
    }

    void exports() {
        ThroughputView view;
        QTemporaryDir dir;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, view.exportCsv(dir.filePath("early.csv")));
        view.setBudget({0.2, 30});
        view.setConfiguration(rangeConfig(100, 10));
        view.measure();
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), kWaitMs);
        view.exportPlot(dir.filePath("speed.png"));
        const QImage image(dir.filePath("speed.png"));
        QVERIFY(!image.isNull());
        QCOMPARE(image.width(), 800);
        view.exportPlot(dir.filePath("speed.pdf"));
        QFile pdf(dir.filePath("speed.pdf"));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(4) == "%PDF");
        view.exportCsv(dir.filePath("speed.csv"));
        QFile csv(dir.filePath("speed.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly | QIODevice::Text));
        const QStringList lines = QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'));
        QVERIFY2(lines[0].startsWith(QStringLiteral("# Loading speed of range:100")),
                 qPrintable(lines[0]));
        const int header = int(lines.indexOf(QStringLiteral(
            "num_workers,batches,samples,seconds,samples_per_second,first_batch_ms,median_ms,"
            "p90_ms,max_ms")));
        QVERIFY(header > 0);
        QVERIFY(lines[header + 1].startsWith(QStringLiteral("0,30,300,")));
    }

    void isTheLastLabView() {
        QWidget parent;
        const auto views = ui::make_lab_views(&parent);
        QVERIFY(!views.empty());
        QCOMPARE(views.back()->title(), QStringLiteral("Speed"));
        for (auto* v : views)
            v->shutdown();
    }
};

QTEST_MAIN(TestThroughputView)
#include "tst_throughput_view.moc"
