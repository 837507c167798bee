// The DataLoader lab page, offscreen: editing the JSON re-simulates after the debounce and the
// table shows LoaderSimulation's batches; a bad edit shows the error next to the editor and keeps
// the rows; the batch model passes QAbstractItemModelTester while rows stream in and reset; the
// window switches to the lab with Ctrl+2 and back with Ctrl+1; --screenshot --page 2 shows it.

#include "data/loader_config_json.h"
#include "ui/main_window.h"
#include "ui/models/lab_batch_model.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/lab_page.h"
#include "workflows/loader_simulation.h"

#include <QAbstractItemModelTester>
#include <QImage>
#include <QPlainTextEdit>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using ui::LabBatchModel;
using ui::LabPage;

namespace {

const QString kRange30 = QStringLiteral(
    R"({"dataset": "range:30", "batch_size": 4, "shuffle": true, "generator": 3, "epochs": 2})");

std::vector<workflows::LoaderBatch> direct(const QString& json) {
    std::vector<workflows::LoaderBatch> out;
    workflows::LoaderSimulation simulation(
        data::loader_config_from_json(nlohmann::json::parse(json.toStdString())));
    simulation.on_batch = [&](const workflows::LoaderBatch& b) { out.push_back(b); };
    simulation.run();
    return out;
}

// A cell's numbers as the user reads them ("3, 7, 12").
std::vector<std::int64_t> numbers(const QString& cell) {
    std::vector<std::int64_t> out;
    for (const QString& part : cell.split(QStringLiteral(", "), Qt::SkipEmptyParts))
        out.push_back(part.toLongLong());
    return out;
}

// The table's rows are the batches, cell by cell as shown.
void compare_rows(const QAbstractItemModel& model, const std::vector<workflows::LoaderBatch>& b) {
    QCOMPARE(model.rowCount(), static_cast<int>(b.size()));
    for (int r = 0; r < model.rowCount(); ++r) {
        const auto& e = b[static_cast<std::size_t>(r)];
        QCOMPARE(model.index(r, LabBatchModel::Epoch).data().toLongLong(), e.epoch);
        QCOMPARE(model.index(r, LabBatchModel::Batch).data().toLongLong(), e.batch);
        QCOMPARE(numbers(model.index(r, LabBatchModel::Indices).data().toString()), e.indices);
        QCOMPARE(numbers(model.index(r, LabBatchModel::Labels).data().toString()), e.labels);
    }
}

// Waits for the page to have simulated its newest text.
bool settle(LabPage& page) {
    return QTest::qWaitFor([&] { return !page.isSimulating(); }, 20000);
}

} // namespace

class TstLabPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void defaultConfigurationSimulates() {
        LabPage page;
        page.show();
        QVERIFY(settle(page));
        QVERIFY2(page.errorText().isEmpty(), qPrintable(page.errorText()));
        compare_rows(*page.batchModel(), direct(LabPage::defaultConfiguration()));
        QVERIFY(page.summaryText().contains(QStringLiteral("duplicate")));
    }

    void editingResimulates() {
        LabPage page;
        page.show();
        QVERIFY(settle(page));
        page.setConfigurationText(kRange30);
        QVERIFY(page.isSimulating()); // the debounce runs
        QVERIFY(settle(page));
        compare_rows(*page.batchModel(), direct(kRange30)); // 8 per epoch, the last one of 2
        QCOMPARE(page.batchModel()->rowCount(), 16);
        QVERIFY2(page.summaryText().contains(QStringLiteral("range:30")) ||
                     page.summaryText().contains(QStringLiteral("30 samples")),
                 qPrintable(page.summaryText()));
        QVERIFY(page.summaryText().contains(QStringLiteral("16 batches")));
        QVERIFY(page.summaryText().contains(QStringLiteral("60 samples drawn")));

        // Typing goes through the debounce too: a burst of keystrokes, one simulation at the end.
        QSignalSpy finished(&page, &LabPage::simulationFinished);
        page.editor()->moveCursor(QTextCursor::End);
        page.editor()->setFocus();
        const QString typed = QStringLiteral(R"({"dataset": "range:12", "batch_size": 5})");
        page.setConfigurationText(QString());
        QTest::keyClicks(page.editor(), typed);
        QVERIFY(settle(page));
        QCOMPARE(page.configurationText(), typed);
        QCOMPARE(finished.size(), 1);
        compare_rows(*page.batchModel(), direct(typed));
        QCOMPARE(page.batchModel()->rowCount(), 3);
    }

    void badEditShowsTheErrorAndKeepsTheRows() {
        LabPage page;
        page.show();
        page.setConfigurationText(kRange30);
        QVERIFY(settle(page));
        QCOMPARE(page.batchModel()->rowCount(), 16);
        const QString summary = page.summaryText();

        page.setConfigurationText(QStringLiteral(R"({"dataset": "range:30", "batch_size": 0})"));
        QVERIFY(settle(page));
        QVERIFY2(page.errorText().contains(QStringLiteral("batch_size")),
                 qPrintable(page.errorText()));
        QCOMPARE(page.batchModel()->rowCount(), 16);
        QCOMPARE(page.summaryText(), summary);

        page.setConfigurationText(QStringLiteral(R"({"dataset": "range:30", "batch_size": )"));
        QVERIFY(settle(page));
        QVERIFY2(page.errorText().startsWith(QStringLiteral("JSON")), qPrintable(page.errorText()));
        QCOMPARE(page.batchModel()->rowCount(), 16);

        // An error only the worker finds (the data set cannot be opened) also keeps the rows.
        page.setConfigurationText(QStringLiteral(R"({"dataset": "mnist:/nonexistent/folder"})"));
        QVERIFY(settle(page));
        QVERIFY2(!page.errorText().isEmpty(), "no error for a missing data set");
        QCOMPARE(page.batchModel()->rowCount(), 16);

        page.setConfigurationText(kRange30); // fixed: the error goes, the rows are fresh
        QVERIFY(settle(page));
        QVERIFY(page.errorText().isEmpty());
        compare_rows(*page.batchModel(), direct(kRange30));
    }

    // A bad edit during a long run stops it: its rows stay and the summary says so.
    void badEditDuringARunStopsIt() {
        LabPage page;
        page.show();
        page.setConfigurationText(
            QStringLiteral(R"({"dataset": "range:4000000", "batch_size": 2, "shuffle": true})"));
        QTRY_VERIFY_WITH_TIMEOUT(page.batchModel()->rowCount() > 0, 20000);
        page.setConfigurationText(QStringLiteral(R"({"dataset": "range:30", "epochs": 0})"));
        QVERIFY(settle(page));
        QVERIFY2(page.errorText().contains(QStringLiteral("epochs")), qPrintable(page.errorText()));
        const int rows = page.batchModel()->rowCount();
        QVERIFY(rows > 0 && rows < 2000000);
        QVERIFY2(page.summaryText().startsWith(QStringLiteral("Stopped after %1 batch").arg(rows)),
                 qPrintable(page.summaryText()));
        QTest::qWait(200); // nothing more arrives
        QCOMPARE(page.batchModel()->rowCount(), rows);
    }

    void modelPassesTheTester() {
        LabPage page;
        QAbstractItemModelTester tester(page.batchModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.show();
        page.setConfigurationText(QStringLiteral(
            R"({"dataset": "range:200000", "batch_size": 3, "shuffle": true, "generator": 1})"));
        QVERIFY(settle(page));
        QCOMPARE(page.batchModel()->rowCount(), 66667);
        page.setConfigurationText(kRange30); // a reset, then rows again
        QVERIFY(settle(page));
        QCOMPARE(page.batchModel()->rowCount(), 16);
        QCOMPARE(page.batchModel()->columnCount(), 4);
        QCOMPARE(page.batchModel()->headerData(LabBatchModel::Labels, Qt::Horizontal).toString(),
                 QStringLiteral("Labels"));
    }

    void shortcutsShowTheLab() {
        ui::MainWindow window(nullptr, false);
        QVERIFY(window.workspaceCount() >= 2); // the browser, the lab, then later pages
        auto* lab = qobject_cast<LabPage*>(window.workspace(1));
        QVERIFY(lab);
        auto* tabs = window.findChild<QTabBar*>(QStringLiteral("workspaceTabs"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("DataLoader lab"));
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(!lab->isSimulating()); // hidden: nothing simulated yet
        QCOMPARE(lab->batchModel()->rowCount(), 0);

        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(window.currentWorkspace(), lab);
        QVERIFY(lab->isVisible());
        QVERIFY(settle(*lab)); // shown: the default configuration is simulated
        QVERIFY(lab->batchModel()->rowCount() > 0);
        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(window.currentWorkspace(), window.browser());
        QVERIFY(!lab->isVisible());
    }

    // nnscope --screenshot --page 2 --width W pictures the lab at that width; a page that does
    // not exist is refused.
    void screenshotOfTheLab() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("lab.png"));
        QProcess process;
        process.start(QStringLiteral(NNSCOPE_GUI),
                      {QStringLiteral("--screenshot"), out, QStringLiteral("--page"),
                       QStringLiteral("2"), QStringLiteral("--width"), QStringLiteral("1024")});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
        const QImage picture(out);
        QCOMPARE(picture.width(), 1024);
        QCOMPARE(picture.height(), 640);

        process.start(QStringLiteral(NNSCOPE_GUI), {QStringLiteral("--screenshot"), out,
                                                    QStringLiteral("--page"), QStringLiteral("9")});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("--page"));
    }
};

QTEST_MAIN(TstLabPage)
#include "tst_lab_page.moc"
