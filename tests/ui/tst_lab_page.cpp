// The DataLoader lab page, offscreen, with small test views in each column: both columns are
// analysed once shown and their views get the configuration, then its analysis; an edit
// re-analyses its own column only (typing once after a pause); a refused value or a worker error
// is shown next to its field and everything shown stays; columns are added, removed, copied and
// swapped; tabs switch together; presets, JSON files and remembered settings set the columns; the
// window shows the lab with Ctrl+2; nnscope --lab / --lab-preset --screenshot picture it.

#include "data/loader_config_json.h"
#include "ui/lab/config_form.h"
#include "ui/lab/lab_view.h"
#include "ui/main_window.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/lab_page.h"
#include "workflows/lab_presets.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QLineEdit>
#include <QProcess>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

using namespace nnscope;
using ui::ConfigColumn;
using ui::LabPage;

namespace {

// Notes what the column hands it, in order; busy on demand.
class TestView : public ui::LabView {
public:
    TestView(QString title, QWidget* parent)
        : LabView(parent)
        , title_(std::move(title)) {}
    QString title() const override { return title_; }
    void setConfiguration(const data::DataLoaderConfig& config) override {
        calls.push_back(QStringLiteral("configuration"));
        config_ = config;
    }
    void setAnalysis(const workflows::LoaderAnalysisPtr& analysis) override {
        calls.push_back(QStringLiteral("analysis"));
        // The analysis is of the configuration handed before it.
        if (!(analysis->config == config_)) calls.push_back(QStringLiteral("mismatch"));
    }
    bool isBusy() const override { return busy_; }
    void setBusyForTest(bool busy) {
        busy_ = busy;
        emit busyChanged(busy);
    }
    std::vector<QString> calls;

private:
    QString title_;
    data::DataLoaderConfig config_;
    bool busy_ = false;
};

std::vector<ui::LabView*> test_views(QWidget* parent) {
    return {new TestView(QStringLiteral("Order"), parent),
            new TestView(QStringLiteral("Batches"), parent)};
}

TestView* view(ConfigColumn* c, int i) {
    return static_cast<TestView*>(c->views().at(static_cast<std::size_t>(i)));
}

data::DataLoaderConfig range(std::int64_t n, std::int64_t batch) {
    data::DataLoaderConfig c;
    c.dataset = "range:" + std::to_string(n);
    c.batch_size = batch;
    return c;
}

bool settle(LabPage& page) {
    return QTest::qWaitFor([&] { return !page.isComputing(); }, 20000);
}

} // namespace

class TstLabPage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void bothColumnsAreAnalysedOnceShown() {
        LabPage page(nullptr, test_views);
        QCOMPARE(page.columnCount(), 2);
        QVERIFY(page.isComputing()); // hidden: waiting to be shown
        QCOMPARE(view(page.column(0), 0)->calls.size(), std::size_t(0));
        page.show();
        QVERIFY(settle(page));
        for (int i = 0; i < 2; ++i) {
            ConfigColumn* c = page.column(i);
            QCOMPARE(c->name(), QString(QLatin1Char('A' + i)));
            QVERIFY(c->analysis());
            QCOMPARE(c->analysis()->config, LabPage::defaultConfiguration(i));
            QCOMPARE(view(c, 0)->calls, (std::vector<QString>{QStringLiteral("configuration"),
                                                              QStringLiteral("analysis")}));
            QCOMPARE(view(c, 1)->calls.size(), std::size_t(2));
        }
        QVERIFY(page.column(0)->analysis()->epochs[0].order !=
                page.column(1)->analysis()->epochs[0].order); // A shuffles, B does not
    }

    void anEditReanalysesItsColumnOnly() {
        LabPage page(nullptr, test_views);
        page.show();
        QVERIFY(settle(page));
        const auto b = page.column(1)->analysis();
        page.column(0)->setConfiguration(range(1000, 64));
        QVERIFY(settle(page));
        QCOMPARE(page.column(1)->analysis(), b);
        const auto a = page.column(0)->analysis();
        QCOMPARE(a->config, range(1000, 64));
        QCOMPARE(
            page.column(0)->summaryText(),
            QStringLiteral("RangeDataset, 1000 samples · 16 batches per epoch, the last of 40 · "
                           "0 dropped · 0 duplicates · 0 never drawn"));

        // The spin box: analysed at once, the newest value wins.
        auto* spin = page.column(0)->form()->findChild<QSpinBox*>(QStringLiteral("batch_size"));
        for (int v = 10; v <= 50; ++v)
            spin->setValue(v);
        QVERIFY(settle(page));
        QCOMPARE(*page.column(0)->analysis()->config.batch_size, std::int64_t(50));
        QCOMPARE(page.column(0)->analysis()->epochs[0].batch_sizes.size(), std::size_t(20));
        QCOMPARE(view(page.column(0), 0)->calls.back(), QStringLiteral("analysis"));
        for (const auto& call : view(page.column(0), 0)->calls)
            QVERIFY(call != QStringLiteral("mismatch"));

        // Typing: one analysis after the pause.
        QSignalSpy analysed(page.column(0), &ConfigColumn::analysed);
        auto* dataset = page.column(0)->form()->findChild<QComboBox*>(QStringLiteral("dataset"));
        dataset->lineEdit()->selectAll();
        QTest::keyClicks(dataset->lineEdit(), QStringLiteral("range:77"));
        QVERIFY(page.isComputing());
        QVERIFY(settle(page));
        QCOMPARE(analysed.size(), 1);
        QCOMPARE(page.column(0)->analysis()->dataset_size, std::int64_t(77));
    }

    void refusedValuesShowNextToTheFieldAndKeepTheRest() {
        LabPage page(nullptr, test_views);
        page.show();
        auto* sampler = page.column(0)->form()->findChild<QComboBox*>(QStringLiteral("sampler"));
        page.column(0)->setConfiguration(range(30, 4));
        sampler->setCurrentIndex(1); // SequentialSampler: valid, analysed
        QVERIFY(settle(page));
        const auto before = page.column(0)->analysis();
        QVERIFY(std::holds_alternative<data::SequentialSamplerArgs>(before->config.sampler));
        const QString summary = page.column(0)->summaryText();
        const std::size_t calls = view(page.column(0), 0)->calls.size();

        // Refused before anything runs: shuffle with a sampler.
        auto* shuffle = page.column(0)->form()->findChild<QCheckBox*>(QStringLiteral("shuffle"));
        shuffle->setChecked(true);
        QVERIFY(settle(page));
        QVERIFY2(
            page.column(0)->errorText().contains(QStringLiteral("mutually exclusive with shuffle")),
            qPrintable(page.column(0)->errorText()));
        QCOMPARE(page.column(0)->analysis(), before);
        QCOMPARE(page.column(0)->summaryText(), summary);
        QCOMPARE(view(page.column(0), 0)->calls.size(), calls); // the views were not told

        // Found by the worker: the data set cannot be read.
        auto config = range(30, 4);
        config.dataset = "mnist:/nonexistent/folder";
        QSignalSpy failed(page.column(0), &ConfigColumn::failed);
        page.column(0)->setConfiguration(config);
        QVERIFY(settle(page));
        QVERIFY(failed.size() >= 1);
        QVERIFY(!page.column(0)->errorText().isEmpty());
        QCOMPARE(page.column(0)->summaryText(), summary);
        QCOMPARE(page.column(1)->errorText(), QString()); // B untouched

        page.column(0)->setConfiguration(range(30, 4)); // fixed
        QVERIFY(settle(page));
        QCOMPARE(page.column(0)->errorText(), QString());
    }

    void columnsAreAddedRemovedCopiedAndSwapped() {
        LabPage page(nullptr, test_views);
        page.show();
        page.column(0)->setConfiguration(range(10, 2));
        page.column(1)->setConfiguration(range(20, 3));
        page.addColumn(range(30, 4));
        QCOMPARE(page.columnCount(), 3);
        QCOMPARE(page.column(2)->name(), QStringLiteral("C"));
        QVERIFY(settle(page));
        QCOMPARE(page.column(2)->analysis()->dataset_size, std::int64_t(30));
        QVERIFY(page.removeColumn(0));
        QCOMPARE(page.column(0)->name(), QStringLiteral("A"));
        QCOMPARE(page.column(1)->name(), QStringLiteral("B"));
        QCOMPARE(page.column(1)->configuration(), range(30, 4));
        QVERIFY(!page.removeColumn(1)); // A and B stay
        QCOMPARE(page.columnCount(), 2);

        page.swapColumns(0, 1);
        QCOMPARE(page.column(0)->configuration(), range(30, 4));
        QCOMPARE(page.column(1)->configuration(), range(20, 3));
        page.copyColumn(0, 1);
        QCOMPARE(page.column(1)->configuration(), range(30, 4));
        QVERIFY(settle(page));
        QCOMPARE(page.column(1)->analysis()->config, range(30, 4));
    }

    void tabsSwitchTogether() {
        LabPage page(nullptr, test_views);
        page.addColumn(range(5, 1));
        page.column(1)->tabs()->setCurrentIndex(1);
        for (int i = 0; i < page.columnCount(); ++i)
            QCOMPARE(page.column(i)->tabs()->currentIndex(), 1);
        page.column(2)->tabs()->setCurrentIndex(0);
        QCOMPARE(page.column(0)->tabs()->currentIndex(), 0);
    }

    // A busy view of a shown tab keeps the page computing until it is done.
    void busyViewsKeepThePageBusy() {
        LabPage page(nullptr, test_views);
        page.show();
        QVERIFY(settle(page));
        QSignalSpy settled(&page, &LabPage::settled);
        view(page.column(1), 0)->setBusyForTest(true);
        QVERIFY(page.isComputing());
        view(page.column(1), 1)->setBusyForTest(true); // another tab: not waited for
        view(page.column(1), 0)->setBusyForTest(false);
        QVERIFY(!page.isComputing());
        QCOMPARE(settled.size(), 1);
    }

    void presetsSetBothColumnsAndExplain() {
        LabPage page(nullptr, test_views);
        page.addColumn(range(5, 1));
        page.show();
        QVERIFY(!page.applyPreset(QStringLiteral("no-such-preset")));
        QCOMPARE(page.bannerText(), QString());
        QVERIFY(page.applyPreset(QStringLiteral("drop-last")));
        const auto* p = workflows::find_lab_preset("drop-last");
        QCOMPARE(page.columnCount(), 2);
        QCOMPARE(page.column(0)->configuration(), p->mistake);
        QCOMPARE(page.column(1)->configuration(), p->fix);
        QVERIFY(page.bannerText().contains(QStringLiteral("drop_last loses the tail")));
        QCOMPARE(page.column(1)->tabs()->currentIndex(), 1); // "Batches" holds "Batch"
        QVERIFY(settle(page));
        QCOMPARE(page.column(0)->analysis()->never_drawn, std::int64_t(40));
        QCOMPARE(page.column(1)->analysis()->never_drawn, std::int64_t(0));
    }

    void formsHideForThePlots() {
        LabPage page(nullptr, test_views);
        page.resize(1000, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        const int with_forms = page.column(0)->tabs()->height();
        page.setFormsHidden(true);
        QTRY_VERIFY(page.column(0)->tabs()->height() > with_forms + 150);
        QVERIFY(!page.column(1)->form()->isVisible());
        page.addColumn(range(10, 2)); // a column added later follows
        QVERIFY(page.column(2)->form()->isHidden());
        page.setFormsHidden(false);
        QVERIFY(page.column(2)->form()->isVisible());
    }

    void pytorchScriptIsExported() {
        QTemporaryDir dir;
        LabPage page(nullptr, test_views);
        page.column(0)->setConfiguration(range(42, 5));
        const QString path = dir.filePath(QStringLiteral("a.py"));
        QCOMPARE(page.savePyTorchScript(0, path), QString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY2(text.contains(QStringLiteral("batch_size=5")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("DataLoader(")));
        QVERIFY(!text.contains(QStringLiteral("import nnscope")));
        QVERIFY(page.savePyTorchScript(0, dir.filePath(QStringLiteral("no/such/dir/a.py")))
                    .contains(QStringLiteral("a.py")));
    }

    void jsonFilesOpenAndSave() {
        QTemporaryDir dir;
        LabPage page(nullptr, test_views);
        page.column(1)->setConfiguration(range(42, 5));
        const QString path = dir.filePath(QStringLiteral("b.json"));
        QCOMPARE(page.saveJson(1, path), QString());
        QCOMPARE(page.openJson(0, path), QString());
        QCOMPARE(page.column(0)->configuration(), range(42, 5));

        QFile bad(dir.filePath(QStringLiteral("bad.json")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(R"({"dataset": "range:5", "batch_size": -2})");
        bad.close();
        const QString error = page.openJson(1, bad.fileName());
        QVERIFY2(error.startsWith(bad.fileName()) && error.contains(QStringLiteral("batch_size")),
                 qPrintable(error));
        QCOMPARE(page.column(1)->configuration(), range(42, 5)); // unchanged
        QVERIFY(page.openJson(1, dir.filePath(QStringLiteral("missing.json")))
                    .contains(QStringLiteral("missing.json")));
    }

    void configurationsAreRemembered() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("lab.ini")), QSettings::IniFormat);
        {
            LabPage page(nullptr, test_views);
            page.column(0)->setConfiguration(range(11, 2));
            page.addColumn(range(33, 3));
            page.saveState(settings);
        }
        LabPage page(nullptr, test_views);
        page.restoreState(settings);
        QCOMPARE(page.columnCount(), 3);
        QCOMPARE(page.column(0)->configuration(), range(11, 2));
        QCOMPARE(page.column(1)->configuration(), LabPage::defaultConfiguration(1));
        QCOMPARE(page.column(2)->configuration(), range(33, 3));
    }

    void shortcutsShowTheLab() {
        ui::MainWindow window(nullptr, false);
        auto* lab = qobject_cast<LabPage*>(window.workspace(1));
        QVERIFY(lab);
        auto* tabs = window.findChild<QTabBar*>(QStringLiteral("workspaceTabs"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("DataLoader lab"));
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(!lab->column(0)->analysis()); // hidden: nothing analysed yet
        QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
        QCOMPARE(window.currentWorkspace(), lab);
        QVERIFY(settle(*lab));
        QVERIFY(lab->column(0)->analysis());
        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(window.currentWorkspace(), window.browser());
    }

    // nnscope --lab A.json B.json --screenshot: the picture once both are analysed; a bad file or
    // preset is an error naming it.
    void screenshotOfTheLab() {
        QTemporaryDir dir;
        LabPage page(nullptr, test_views);
        page.column(0)->setConfiguration(range(500, 16));
        const QString a = dir.filePath(QStringLiteral("a.json")),
                      b = dir.filePath(QStringLiteral("b.json"));
        QCOMPARE(page.saveJson(0, a), QString());
        QCOMPARE(page.saveJson(1, b), QString());
        const QString out = dir.filePath(QStringLiteral("lab.png"));
        const auto run = [&](const QStringList& args, int code) {
            QProcess process;
            process.start(QStringLiteral(NNSCOPE_GUI), args);
            if (!process.waitForFinished(60000)) return QStringLiteral("did not finish");
            const QString err = QString::fromLocal8Bit(process.readAllStandardError());
            return process.exitCode() == code
                       ? err
                       : QStringLiteral("exit %1: %2").arg(process.exitCode()).arg(err);
        };
        QString err = run({QStringLiteral("--lab"), a, b, QStringLiteral("--screenshot"), out,
                           QStringLiteral("--width"), QStringLiteral("1024")},
                          0);
        QVERIFY2(!err.startsWith(QStringLiteral("exit")), qPrintable(err));
        QImage picture(out);
        QCOMPARE(picture.width(), 1024);
        QCOMPARE(picture.height(), 640);
        QFile::remove(out);
        err = run({QStringLiteral("--lab-preset"), QStringLiteral("distributed-padding"),
                   QStringLiteral("--screenshot"), out},
                  0);
        QVERIFY2(!err.startsWith(QStringLiteral("exit")), qPrintable(err));
        QVERIFY(QImage(out).width() == 1280);
        err = run({QStringLiteral("--lab-preset"), QStringLiteral("nope"),
                   QStringLiteral("--screenshot"), out},
                  1);
        QVERIFY2(err.contains(QStringLiteral("'nope'")) &&
                     err.contains(QStringLiteral("drop-last")),
                 qPrintable(err));
        err = run({QStringLiteral("--lab"), dir.filePath(QStringLiteral("missing.json")),
                   QStringLiteral("--screenshot"), out},
                  1);
        QVERIFY2(err.contains(QStringLiteral("missing.json")), qPrintable(err));
        // The browser's screenshot of page 2 still works.
        err = run({QStringLiteral("--screenshot"), out, QStringLiteral("--page"),
                   QStringLiteral("2"), QStringLiteral("--width"), QStringLiteral("1024")},
                  0);
        QVERIFY2(!err.startsWith(QStringLiteral("exit")), qPrintable(err));
    }
};

QTEST_MAIN(TstLabPage)
#include "tst_lab_page.moc"
