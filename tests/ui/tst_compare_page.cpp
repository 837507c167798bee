// The Compare page, offscreen, on the checkpoints of tests/golden/gen_diff.py: the table holds
// every name, largest change first, with the rows that could not be compared at the bottom and
// marked; every column sorts; the selected pair's histogram of b − a is torch's histc; a mismatch
// says why there is no histogram; a folder gives the selected tensor's series as lines; a missing
// file is named; a comparison of large files is cancelled at once by Cancel or by closing.

#include "io/safetensors.h"
#include "support/diff_golden.h"
#include "ui/main_window.h"
#include "ui/models/diff_series_model.h"
#include "ui/models/diff_table_model.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/compare_page.h"
#include "ui/pages/compare_series_plot.h"
#include "ui/tensor_view/histogram_plot.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>
#include <memory>
#include <qcustomplot.h>

using namespace nnscope;
using ui::ComparePage;
using ui::DiffTableModel;

namespace {

QString golden(const char* file) {
    return nnscope::test::diff_golden(file);
}

QJsonObject expected() {
    return nnscope::test::diff_expected();
}

QString cell(const QTableView* table, int row, int column) {
    return table->model()->index(row, column).data().toString();
}

bool finished(ComparePage& page) {
    QSignalSpy done(&page, &ComparePage::comparisonFinished);
    return done.wait(20000);
}

// Two safetensors files of `count` float32 tensors of 4 M elements each (16 MB a tensor).
void write_large(const QString& dir, int count) {
    for (const char* name : {"big_a.safetensors", "big_b.safetensors"}) {
        io::NamedTensors tensors;
        for (int i = 0; i < count; ++i)
            tensors.emplace_back("layer" + std::to_string(i) + ".weight",
                                 Tensor::full({2048, 2048}, name[4] == 'a' ? 1.0 : 1.5));
        io::save_safetensors((dir + QLatin1Char('/') + QLatin1String(name)).toStdString(), tensors);
    }
}

} // namespace

class TestComparePage : public QObject {
    Q_OBJECT
private slots:
    void rowsLargestChangeFirst();
    void everyColumnSorts();
    void histogramIsTorchHistc();
    void mismatchSaysWhy();
    void folderShowsSeries();
    void missingFileIsNamed();
    void cancelStopsAtOnce();
    void closingStopsTheWorker();
    void windowHasTheCompareTab();
};

void TestComparePage::rowsLargestChangeFirst() {
    ComparePage page;
    QAbstractItemModelTester tester(page.diffModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.compare(golden("a.pt"), golden("b.pt"));
    QVERIFY(page.isComparing());
    QVERIFY(page.isBusy());
    QVERIFY(finished(page));
    QVERIFY(!page.isBusy());
    const QTableView* table = page.pairTable();
    QCOMPARE(table->model()->rowCount(), 10);
    const QStringList order{QStringLiteral("extra.nan"), QStringLiteral("extra.dtype"),
                            QStringLiteral("2.bias"),    QStringLiteral("2.weight"),
                            QStringLiteral("0.bias"),    QStringLiteral("0.weight"),
                            QStringLiteral("extra.zero")};
    for (int r = 0; r < order.size(); ++r)
        QCOMPARE(cell(table, r, DiffTableModel::Name), order[r]);
    QCOMPARE(cell(table, 2, DiffTableModel::Change), QStringLiteral("0.1343"));
    QCOMPARE(cell(table, 2, DiffTableModel::Cosine), QStringLiteral("0.998889"));
    QCOMPARE(cell(table, 1, DiffTableModel::DType), QStringLiteral("float32 → float64"));
    QCOMPARE(cell(table, 0, DiffTableModel::NonFinite), QStringLiteral("1"));
    // The three rows without figures sit at the bottom, marked by status and background.
    QStringList statuses;
    for (int r = 7; r < 10; ++r) {
        statuses << cell(table, r, DiffTableModel::Status);
        QVERIFY(table->model()->index(r, 0).data(Qt::BackgroundRole).isValid());
        QVERIFY(cell(table, r, DiffTableModel::Change).isEmpty());
    }
    statuses.sort();
    QCOMPARE(statuses, (QStringList{QStringLiteral("only in A"), QStringLiteral("only in B"),
                                    QStringLiteral("shape differs")}));
    QVERIFY(!table->model()->index(0, 0).data(Qt::BackgroundRole).isValid());
    QVERIFY(page.summaryText().contains(QStringLiteral("stripped from every name of B")));
}

void TestComparePage::everyColumnSorts() {
    ComparePage page;
    page.compare(golden("a.pt"), golden("b.pt"));
    QVERIFY(finished(page));
    QTableView* table = page.pairTable();
    table->sortByColumn(DiffTableModel::Name, Qt::AscendingOrder);
    QCOMPARE(cell(table, 0, DiffTableModel::Name), QStringLiteral("0.bias"));
    QCOMPARE(cell(table, 9, DiffTableModel::Name), QStringLiteral("extra.zero"));
    for (int column = DiffTableModel::Change; column < DiffTableModel::ColumnCount; ++column) {
        table->sortByColumn(column, Qt::DescendingOrder);
        double last = std::numeric_limits<double>::infinity();
        for (int r = 0; r < table->model()->rowCount(); ++r) {
            const double v =
                table->model()->index(r, column).data(DiffTableModel::SortRole).toDouble();
            QVERIFY2(v <= last, qPrintable(QStringLiteral("column %1 row %2").arg(column).arg(r)));
            last = v;
        }
    }
    table->sortByColumn(DiffTableModel::MaxAbs, Qt::DescendingOrder);
    QCOMPARE(cell(table, 0, DiffTableModel::Name), QStringLiteral("extra.nan")); // 0.5
}

void TestComparePage::histogramIsTorchHistc() {
    ComparePage page;
    page.resize(1200, 700);
    page.show();
    page.compare(golden("a.pt"), golden("b.pt"));
    QVERIFY(finished(page));
    // The first row (largest change) is selected and its differences plotted.
    QCOMPARE(page.histogram()->bars()->data()->size(), 64);
    // Select 2.weight: 64 bins, the counts add up to its 24 elements.
    QTableView* table = page.pairTable();
    table->setCurrentIndex(table->model()->index(3, 0));
    QCOMPARE(cell(table, 3, 0), QStringLiteral("2.weight"));
    double total = 0;
    for (auto it = page.histogram()->bars()->data()->constBegin();
         it != page.histogram()->bars()->data()->constEnd(); ++it)
        total += it->value;
    QCOMPARE(total, 24.0);
    QVERIFY(page.histogram()->statsLine().contains(QStringLiteral("24 elements")));
    // 16 bins through the bins selector: the worker recomputes, bars equal torch.histc's.
    emit page.histogram()->binsRequested(16);
    QVERIFY(finished(page));
    QCOMPARE(cell(table, table->currentIndex().row(), 0), QStringLiteral("2.weight"));
    const QJsonArray histc = expected()[QStringLiteral("pairs")]
                                 .toObject()[QStringLiteral("2.weight")]
                                 .toObject()[QStringLiteral("histc")]
                                 .toArray();
    const auto* bars = page.histogram()->bars()->data().data();
    QCOMPARE(bars->size(), 16);
    for (int i = 0; i < 16; ++i)
        QCOMPARE(bars->at(i)->value, histc[i].toDouble());
}

void TestComparePage::mismatchSaysWhy() {
    ComparePage page;
    page.compare(golden("a.pt"), golden("b.pt"));
    QVERIFY(finished(page));
    QTableView* table = page.pairTable();
    for (int r = 0; r < table->model()->rowCount(); ++r)
        if (cell(table, r, 0) == QStringLiteral("extra.shape"))
            table->setCurrentIndex(table->model()->index(r, 0));
    QCOMPARE(cell(table, table->currentIndex().row(), DiffTableModel::Shape),
             QStringLiteral("[3, 4] → [4, 3]"));
    QVERIFY2(page.histogram()->message().contains(QStringLiteral("no values to compare")),
             qPrintable(page.histogram()->message()));
    QCOMPARE(page.histogram()->bars()->data()->size(), 0);
}

void TestComparePage::folderShowsSeries() {
    ComparePage page;
    QAbstractItemModelTester tester(page.seriesModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.compareFolder(golden("epochs"));
    QVERIFY(finished(page));
    QCOMPARE(page.seriesTable()->model()->rowCount(), 4);
    QCOMPARE(page.pairTable()->model()->rowCount(), 0);
    QVERIFY(page.seriesTable()->currentIndex().isValid());
    QCOMPARE(page.seriesPlot()->lineCount(), 6);
    QCustomPlot* plot = page.seriesPlot()->plot();
    auto ticker = plot->xAxis->ticker().dynamicCast<QCPAxisTickerText>();
    QVERIFY(ticker);
    QCOMPARE(ticker->ticks().value(2), QStringLiteral("epoch_10.pt"));
    // The mean line is torch's mean of the selected tensor per epoch.
    const QString name = cell(page.seriesTable(), page.seriesTable()->currentIndex().row(), 0);
    const QJsonArray mean = expected()[QStringLiteral("epochs")]
                                .toObject()[QStringLiteral("tensors")]
                                .toObject()[name]
                                .toObject()[QStringLiteral("mean")]
                                .toArray();
    QCOMPARE(mean.size(), 3);
    for (int i = 0; i < 3; ++i)
        QVERIFY(std::abs(plot->graph(0)->data()->at(i)->value - mean[i].toDouble()) < 1e-12);
    QVERIFY(page.summaryText().startsWith(QStringLiteral("3 checkpoints · 4 tensors")));
}

void TestComparePage::missingFileIsNamed() {
    ComparePage page;
    QSignalSpy failed(&page, &ComparePage::comparisonFailed);
    page.compare(golden("a.pt"), golden("absent.pt"));
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.first().first().toString().contains(QStringLiteral("absent.pt")));
    QVERIFY(page.summaryText().startsWith(QStringLiteral("Cannot compare")));
    QVERIFY(!page.isBusy());
}

void TestComparePage::cancelStopsAtOnce() {
    QTemporaryDir dir;
    write_large(dir.path(), 8);
    ComparePage page;
    QSignalSpy done(&page, &ComparePage::comparisonFinished);
    page.compare(dir.filePath(QStringLiteral("big_a.safetensors")),
                 dir.filePath(QStringLiteral("big_b.safetensors")));
    QTRY_VERIFY_WITH_TIMEOUT(page.status().percent > 0, 10000); // progress is reported
    if (!page.isComparing()) QSKIP("the comparison finished before Cancel");
    page.cancel();
    QVERIFY(!page.isBusy());
    QVERIFY(!page.isComparing());
    QTest::qWait(1500); // the rest would take longer than this
    QCOMPARE(done.count(), 0);
    QCOMPARE(page.diffModel()->rowCount(), 0);
}

void TestComparePage::closingStopsTheWorker() {
    QTemporaryDir dir;
    write_large(dir.path(), 8);
    auto page = std::make_unique<ComparePage>();
    page->compare(dir.filePath(QStringLiteral("big_a.safetensors")),
                  dir.filePath(QStringLiteral("big_b.safetensors")));
    QTRY_VERIFY_WITH_TIMEOUT(page->status().percent > 0, 10000);
    if (!page->isComparing()) QSKIP("the comparison finished before the page closed");
    QElapsedTimer timer;
    timer.start();
    page.reset(); // stops the worker within one chunk
    QVERIFY2(timer.elapsed() < 1000, qPrintable(QString::number(timer.elapsed())));
}

void TestComparePage::windowHasTheCompareTab() {
    ui::MainWindow window(nullptr, false);
    int index = -1;
    for (int i = 0; i < window.workspaceCount(); ++i)
        if (qobject_cast<ComparePage*>(window.workspace(i))) index = i;
    QVERIFY(index >= 0);
    QCOMPARE(window.workspace(index)->title(), QStringLiteral("Compare"));
    window.show();
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    // The browser's file becomes A when the page is first shown: "compare it with…".
    QSignalSpy shown(window.browser(), &ui::BrowserPage::documentShown);
    window.openFile(golden("a.pt"));
    QVERIFY(shown.wait(10000));
    QTest::keyClick(&window, Qt::Key(Qt::Key_1 + index), Qt::ControlModifier);
    QCOMPARE(window.currentWorkspace(), window.workspace(index));
    auto* page = qobject_cast<ComparePage*>(window.workspace(index));
    QCOMPARE(page->fileA(), golden("a.pt"));
    QVERIFY(page->fileB().isEmpty());
}

QTEST_MAIN(TestComparePage)
#include "tst_compare_page.moc"
