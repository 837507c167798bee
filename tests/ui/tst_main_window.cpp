// The window end to end: every test file opens to the expected tree, a selected tensor shows the
// torch.histc golden, a broken file shows an error and leaves the window usable, a load can be
// cancelled or the window closed during it (also from another page), pages switch with Ctrl+1..9
// and the tab bar, settings and recent files are remembered, and `nnscope --screenshot` writes a
// PNG.

#include "io/safetensors.h"
#include "support/files.h"
#include "support/golden.h"
#include "ui/app_paths.h"
#include "ui/main_window.h"
#include "ui/models/module_filter_model.h"
#include "ui/models/module_tree_model.h"
#include "ui/models/tensor_table_model.h"
#include "ui/pages/browser_page.h"
#include "ui/tensor_view/tensor_view.h"
#include "ui/workspace.h"

#include <QElapsedTimer>
#include <QHeaderView>
#include <QLineEdit>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTableView>
#include <QTreeView>
#include <QtTest>
#include <filesystem>

using namespace nnscope;
using ui::BrowserPage;
using ui::MainWindow;
using ui::ModuleTreeModel;

namespace {

QString resource(const char* name) {
    return QStringLiteral(NNSCOPE_RESOURCES_DIR "/models/") + QLatin1String(name);
}

QString golden_file(const char* name) {
    return QStringLiteral(NNSCOPE_GOLDEN_DIR "/pytorch_files/") + QLatin1String(name);
}

bool wait_shown(MainWindow& window, const QString& path) {
    QSignalSpy shown(window.browser(), &BrowserPage::documentShown);
    window.openFile(path);
    return shown.wait(20000);
}

// Names of the root module's children and the model's total parameter count.
QStringList top_modules(const MainWindow& window) {
    const auto* model = window.browser()->moduleModel();
    QStringList names;
    const QModelIndex root = model->index(0, 0);
    for (int r = 0; r < model->rowCount(root); ++r)
        names << model->index(r, 0, root).data().toString();
    return names;
}

qlonglong total_parameters(const MainWindow& window) {
    return window.browser()
        ->moduleModel()
        ->index(0, ModuleTreeModel::TotalParameters)
        .data()
        .toString()
        .remove(QLocale().groupSeparator())
        .toLongLong();
}

// A tensor whose 530-character name no widget may grow the window to show.
QString long_name_file(const QTemporaryDir& dir) {
    const auto path = std::filesystem::path(dir.path().toStdString()) / "long.safetensors";
    const std::string name = "encoder." + std::string(515, 'x') + ".weight";
    io::save_safetensors(path, {{name, Tensor::ones({4, 4})}, {"b.weight", Tensor::ones({3})}});
    return QString::fromStdString(path.string());
}

// A second page: shows that a page is one class plus addWorkspace, and notes the window's calls.
class TestPage : public ui::Workspace {
public:
    QString title() const override { return QStringLiteral("Test page"); }
    void shutdown() override { ++shutdowns; }
    int shutdowns = 0;
};

QProgressBar* progress_of(const MainWindow& window) {
    return window.statusBar()->findChild<QProgressBar*>(); // pages have progress bars too
}

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true); // never the user's settings
        QCoreApplication::setOrganizationName(QStringLiteral("nnscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));
        QSettings().clear();
    }

    void opensEachFile_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QStringList>("top");
        QTest::addColumn<qlonglong>("parameters");
        const QStringList mlp{"0", "1", "2", "3", "4", "5"};
        const QStringList small{"conv", "bn", "head"};
        // Parameter counts from the architectures: mlp 784*512+512 + 512*256+256 + 256*10+10;
        // cnn 16*9+16 + 32*16*9+32 + 1568*10+10; Small (tests/golden/gen_pytorch_files.py)
        // 2*3*9+3 + 3+3 + 12*4+4; Scripted 6 + 2*2 + 9 + 4.
        QTest::newRow("mlp") << resource("mlp.safetensors") << mlp << 535818LL;
        QTest::newRow("cnn") << resource("cnn.safetensors") << QStringList() << 20490LL;
        QTest::newRow("state_dict") << golden_file("state_dict.pt") << small << 115LL;
        QTest::newRow("state_dict_legacy") << golden_file("state_dict_legacy.pt") << small << 115LL;
        QTest::newRow("dataparallel")
            << golden_file("dataparallel.pt") << QStringList{"module"} << 115LL;
        QTest::newRow("checkpoint")
            << golden_file("checkpoint.pt") << QStringList{"model"} << 115LL;
        QTest::newRow("torchscript")
            << golden_file("torchscript.pt") << QStringList{"stem", "blocks", "heads"} << 23LL;
    }
    void opensEachFile() {
        QFETCH(QString, path);
        QFETCH(QStringList, top);
        QFETCH(qlonglong, parameters);
        MainWindow window;
        QVERIFY(wait_shown(window, path));
        QCOMPARE(window.currentFile(), QFileInfo(path).absoluteFilePath());
        if (!top.isEmpty()) QCOMPARE(top_modules(window), top);
        QCOMPARE(total_parameters(window), parameters);
        QVERIFY(window.browser()->lastError().isEmpty());
    }

    void plainSafetensorsTree() {
        QTemporaryDir dir;
        const auto path = std::filesystem::path(dir.path().toStdString()) / "plain.safetensors";
        io::save_safetensors(path, {{"encoder.layer.0.weight", Tensor::ones({4, 4})},
                                    {"encoder.layer.1.weight", Tensor::ones({4, 4})},
                                    {"head.bias", Tensor::ones({4})}});
        MainWindow window;
        QVERIFY(wait_shown(window, QString::fromStdString(path.string())));
        QCOMPARE(top_modules(window), (QStringList{"encoder", "head"}));
        QCOMPARE(total_parameters(window), 36LL);
    }

    void selectingATensorShowsItsHistogram_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("module");
        QTest::addColumn<QString>("tensor");
        QTest::newRow("mlp 3.weight") << "mlp"
                                      << "3"
                                      << "3.weight";
        QTest::newRow("mlp 5.bias") << "mlp"
                                    << "5"
                                    << "5.bias";
        QTest::newRow("cnn 0.weight") << "cnn"
                                      << "0"
                                      << "0.weight";
    }
    void selectingATensorShowsItsHistogram() {
        QFETCH(QString, file);
        QFETCH(QString, module);
        QFETCH(QString, tensor);
        const test::GoldenFile golden("snapshot/histc.safetensors");
        const std::string key = file.toStdString() + "/" + tensor.toStdString();
        MainWindow window;
        QSignalSpy finished(&window.browser()->session(),
                            &session::SessionController::statsFinished);
        QVERIFY(wait_shown(window, resource(qPrintable(file + QStringLiteral(".safetensors")))));
        QVERIFY(window.browser()->selectModule(module));
        QSignalSpy shown(window.browser(), &BrowserPage::snapshotShown);
        QVERIFY(window.browser()->selectTensor(tensor));
        QTRY_VERIFY_WITH_TIMEOUT(window.browser()->currentSnapshot() &&
                                     window.browser()->currentSnapshot()->name ==
                                         tensor.toStdString(),
                                 20000);
        const session::TensorSnapshot& s = *window.browser()->currentSnapshot();
        QCOMPARE(s.histogram.counts, golden.tensor(key + ".counts").to_int64_vector());
        const std::vector<double> stats = golden.tensor(key + ".stats").to_vector();
        QCOMPARE(s.stats.min, stats[0]);
        QCOMPARE(s.stats.max, stats[1]);
        QVERIFY(std::abs(s.stats.std - stats[3]) < 1e-9);
        // The tensor view shows them, and the table's statistics columns once streamed in.
        const auto* view = qobject_cast<ui::TensorView*>(window.browser()->tensorView());
        QVERIFY(view && view->hasSnapshot());
        QVERIFY(view->headerText().contains(tensor));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        const int row = window.browser()->tensorModel()->rowOfTensor(tensor);
        QVERIFY(row >= 0);
        QCOMPARE(window.browser()
                     ->tensorModel()
                     ->index(row, ui::TensorTableModel::Max)
                     .data()
                     .toString(),
                 QString::number(stats[1], 'g', 6));
        QCOMPARE(window.browser()->tensorTable()->currentIndex().row(), row);
        if (file == QLatin1String("cnn")) {
            QVERIFY(s.kernels);
            QCOMPARE(s.kernels->out, std::int64_t(16));
        }
    }

    void brokenFileShowsErrorAndWindowStaysUsable() {
        QTemporaryDir dir;
        const QString broken = dir.filePath(QStringLiteral("broken.pt"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        static const char bytes[] = "PK\x03\x04 this is not really a zip archive";
        file.write(bytes, sizeof bytes - 1);
        file.close();
        MainWindow window;
        window.show();
        QSignalSpy failed(window.browser(), &BrowserPage::loadFailed);
        window.openFile(broken);
        QVERIFY(failed.wait(20000));
        QVERIFY(!window.browser()->lastError().isEmpty());
        QVERIFY(window.browser()->errorBox());
        QTRY_VERIFY(window.browser()->errorBox()->isVisible());
        QVERIFY(window.browser()->errorBox()->text().contains(QStringLiteral("broken.pt")));
        QCOMPARE(window.browser()->errorBox()->informativeText(), window.browser()->lastError());
        QVERIFY(!window.isBusy());
        window.browser()->errorBox()->close();
        QTRY_VERIFY(!window.browser()->errorBox()); // deleted on close
        QVERIFY(wait_shown(window, resource("mlp.safetensors")));
        QCOMPARE(top_modules(window).size(), 6);
        // A missing file is an error too, and the shown model stays.
        QVERIFY(wait_shown(window, resource("cnn.safetensors")));
        window.openFile(dir.filePath(QStringLiteral("missing.safetensors")));
        QVERIFY(failed.wait(20000));
        QVERIFY(window.browser()->lastError().contains(QStringLiteral("missing.safetensors")));
        QCOMPARE(QFileInfo(window.currentFile()).fileName(), QStringLiteral("cnn.safetensors"));
        window.browser()->errorBox()->close();
    }

    void filterAsYouType() {
        MainWindow window;
        window.show();
        QVERIFY(wait_shown(window, resource("mlp.safetensors")));
        QTest::keyClicks(window.browser()->filterEdit(), QStringLiteral("linear"));
        const auto* filter = window.browser()->moduleFilter();
        QCOMPARE(filter->rowCount(filter->index(0, 0)), 3); // 1, 3, 5
        window.browser()->filterEdit()->clear();
        QCOMPARE(filter->rowCount(filter->index(0, 0)), 6);
    }

    void cancelKeepsTheShownModel() {
        QTemporaryDir dir;
        const QString big = test::big_model_file(dir.path());
        MainWindow window;
        QVERIFY(wait_shown(window, resource("mlp.safetensors")));
        QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 20000);
        QSignalSpy cancelled(&window.browser()->session(),
                             &session::SessionController::loadCancelled);
        QSignalSpy shown(window.browser(), &BrowserPage::documentShown);
        window.openFile(big);
        QVERIFY(window.isBusy());
        window.cancelLoad();
        QCOMPARE(cancelled.size(), 1);
        QVERIFY(!window.isBusy());
        QTest::qWait(300);
        QCOMPARE(shown.size(), 0);
        QCOMPARE(QFileInfo(window.currentFile()).fileName(), QStringLiteral("mlp.safetensors"));
    }

    void closingDuringALoadIsClean() {
        QTemporaryDir dir;
        const QString big = test::big_model_file(dir.path());
        QElapsedTimer timer;
        for (int wait_ms : {0, 10, 100}) {
            auto window = std::make_unique<MainWindow>();
            window->show();
            window->openFile(big);
            if (wait_ms) QTest::qWait(wait_ms);
            timer.start();
            window->close();
            window.reset();
            QVERIFY2(timer.elapsed() < 3000, "closing waited for the load");
        }
    }

    void shortcutsSwitchPages() {
        MainWindow window(nullptr, false);
        auto* tabs = window.findChild<QTabBar*>(QStringLiteral("workspaceTabs"));
        QVERIFY(tabs);
        // The window's own pages (the browser first), then a test page: one class plus a line.
        const int index = window.workspaceCount();
        auto* page = new TestPage;
        window.addWorkspace(page);
        QCOMPARE(window.workspaceCount(), index + 1);
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(tabs->isVisible());
        QCOMPARE(tabs->count(), index + 1);
        QCOMPARE(tabs->tabText(index), QStringLiteral("Test page"));
        QCOMPARE(window.currentWorkspace(), window.browser());

        const auto key = Qt::Key(Qt::Key_1 + index);
        QTest::keyClick(&window, key, Qt::ControlModifier);
        QCOMPARE(window.currentWorkspace(), page);
        QCOMPARE(tabs->currentIndex(), index);
        QVERIFY(page->isVisible());
        QVERIFY(!window.browser()->isVisible());
        // The browser's View actions act only while it is shown.
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QVERIFY(!window.browser()->filterEdit()->hasFocus());
        QTest::keyClick(&window, Qt::Key(key + 1), Qt::ControlModifier); // no such page: nothing
        QCOMPARE(window.currentWorkspace(), page);

        QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(window.currentWorkspace(), window.browser());
        QCOMPARE(tabs->currentIndex(), 0);
        QTest::keyClick(&window, Qt::Key_F, Qt::ControlModifier);
        QTRY_VERIFY(window.browser()->filterEdit()->hasFocus());
        // The tab bar switches too, and opening a file brings the browser back.
        tabs->setCurrentIndex(index);
        QCOMPARE(window.currentWorkspace(), page);
        QVERIFY(wait_shown(window, resource("mlp.safetensors")));
        QCOMPARE(window.currentWorkspace(), window.browser());
    }

    void closingDuringALoadOnAHiddenPageIsClean() {
        QTemporaryDir dir;
        const QString big = test::big_model_file(dir.path());
        QElapsedTimer timer;
        for (int wait_ms : {0, 10, 100}) {
            auto window = std::make_unique<MainWindow>(nullptr, false);
            auto* page = new TestPage;
            window->addWorkspace(page);
            window->show();
            window->openFile(big);
            QVERIFY(window->browser()->isBusy());
            QVERIFY(!progress_of(*window)->isHidden());
            window->showWorkspace(1);
            // The status bar shows the shown page: not busy, no progress.
            QVERIFY(!window->isBusy());
            QVERIFY(progress_of(*window)->isHidden());
            if (wait_ms) QTest::qWait(wait_ms);
            QVERIFY(!window->browser()->isVisible());
            timer.start();
            window->close();
            QCOMPARE(page->shutdowns, 1);
            QVERIFY(!window->browser()->session().loading()); // the hidden page stopped its load
            QVERIFY(!window->browser()->isBusy());
            window.reset();
            QVERIFY2(timer.elapsed() < 3000, "closing waited for the load");
        }
    }

    void guiStaysResponsive() {
        // The longest gap between two event-loop turns while a 48 MB file loads and its
        // statistics and a large histogram are computed.
        QTemporaryDir dir;
        const QString big = test::big_model_file(dir.path());
        MainWindow window;
        window.show();
        // The first paint (fonts, polish) is the window's start-up, not the load: measured apart.
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::qWait(50);
        QSignalSpy finished(&window.browser()->session(),
                            &session::SessionController::statsFinished);
        QElapsedTimer clock;
        qint64 last = 0, longest = 0;
        QTimer ticker;
        ticker.setInterval(1);
        connect(&ticker, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            longest = std::max(longest, now - last);
            last = now;
        });
        clock.start();
        ticker.start();
        window.openFile(big);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QVERIFY(window.browser()->selectTensor(QStringLiteral("b.weight")));
        QTRY_VERIFY_WITH_TIMEOUT(window.browser()->currentSnapshot() &&
                                     window.browser()->currentSnapshot()->name == "b.weight",
                                 20000);
        ticker.stop();
        qInfo("longest gap between event-loop turns: %lld ms", longest);
        // The target is 50 ms on an idle machine; the bound here only catches a frozen window
        // (a load or histogram in the GUI thread takes seconds), not a busy CI machine.
        QVERIFY2(longest < 1000, qPrintable(QStringLiteral("%1 ms").arg(longest)));
    }

    void dropOpensTheFile() {
        MainWindow window;
        window.show();
        QSignalSpy shown(window.browser(), &BrowserPage::documentShown);
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(resource("cnn.safetensors"))});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton,
                              Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &drop);
        QVERIFY(shown.wait(20000));
        QCOMPARE(QFileInfo(window.currentFile()).fileName(), QStringLiteral("cnn.safetensors"));
    }

    void settingsAreRemembered() {
        QSettings().clear();
        {
            MainWindow window;
            window.show();
            window.resize(900, 640);
            QVERIFY(wait_shown(window, resource("cnn.safetensors")));
            QVERIFY(wait_shown(window, golden_file("state_dict.pt")));
            QVERIFY(wait_shown(window, ui::defaultModelPath())); // bundled: never a recent file
            window.close();
        }
        QSettings settings;
        const QStringList recent = settings.value(QStringLiteral("recentFiles")).toStringList();
        QCOMPARE(recent.size(), 2);
        QCOMPARE(QFileInfo(recent.at(0)).fileName(), QStringLiteral("state_dict.pt"));
        QCOMPARE(settings.value(QStringLiteral("lastFolder")).toString(),
                 QFileInfo(golden_file("state_dict.pt")).absolutePath());
        QVERIFY(settings.contains(QStringLiteral("window/geometry")));
        MainWindow again;
        QCOMPARE(again.size(), QSize(900, 640));
    }

    // Every page fits an 800 x 640 window: a page's minimum size is the window's.
    void everyPageFitsSmallWindows() {
        MainWindow window(nullptr, false);
        for (int i = 0; i < window.workspaceCount(); ++i) {
            const QSize min = window.workspace(i)->minimumSizeHint();
            QVERIFY2(min.width() <= 780 && min.height() <= 560,
                     qPrintable(QStringLiteral("%1 needs %2 x %3")
                                    .arg(window.workspace(i)->title())
                                    .arg(min.width())
                                    .arg(min.height())));
        }
        QVERIFY(window.minimumSizeHint().width() <= 800);
        QVERIFY(window.minimumSizeHint().height() <= 640);
    }

    void defaultModelIsBundled() {
        QVERIFY(QFileInfo::exists(ui::defaultModelPath()));
        QCOMPARE(QFileInfo(ui::defaultModelPath()).fileName(), QStringLiteral("mlp.safetensors"));
    }

    void screenshotWritesAPng() {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("shot.png"));
        QProcess process;
        process.start(QStringLiteral(NNSCOPE_GUI),
                      {QStringLiteral("--screenshot"), out, resource("cnn.safetensors")});
        QVERIFY(process.waitForFinished(60000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const QImage image(out);
        QCOMPARE(image.size(), QSize(1280, 800));
        // Without FILE it shows the bundled model.
        process.start(QStringLiteral(NNSCOPE_GUI), {QStringLiteral("--screenshot"), out});
        QVERIFY(process.waitForFinished(60000));
        QCOMPARE(process.exitCode(), 0);
    }

    void longNamesNeverWidenTheWindow() {
        QTemporaryDir dir;
        const QString file = long_name_file(dir);
        MainWindow window;
        window.resize(1600, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(wait_shown(window, file));
        const QString name =
            QStringLiteral("encoder.") + QString(515, QLatin1Char('x')) + QStringLiteral(".weight");
        QCOMPARE(name.size(), 530);
        QVERIFY(window.browser()->selectModule(QString()));
        QVERIFY(window.browser()->selectTensor(name));
        QTRY_VERIFY_WITH_TIMEOUT(window.browser()->currentSnapshot() &&
                                     window.browser()->currentSnapshot()->name.size() == 530,
                                 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 20000);
        QTest::qWait(50); // layouts settle
        QCOMPARE(window.width(), 1600);
        QVERIFY(window.minimumSizeHint().width() < 1024);
        // The full name is a tooltip away.
        const int row = window.browser()->tensorModel()->rowOfTensor(name);
        QCOMPARE(window.browser()
                     ->tensorModel()
                     ->index(row, ui::TensorTableModel::Name)
                     .data(Qt::ToolTipRole)
                     .toString(),
                 name);
        QVERIFY(wait_shown(window, resource("mlp.safetensors")));
        QTest::qWait(50);
        QCOMPARE(window.width(), 1600);
    }

    void statisticsColumnsFitAt1600() {
        MainWindow window;
        window.resize(1600, 1000);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(wait_shown(window, resource("cnn.safetensors")));
        QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 20000);
        QTest::qWait(50);
        const QTableView* table = window.browser()->tensorTable();
        const int last = ui::TensorTableModel::NonFinite;
        const int right = table->horizontalHeader()->sectionViewportPosition(last) +
                          table->horizontalHeader()->sectionSize(last);
        QVERIFY2(right <= table->viewport()->width(),
                 qPrintable(QStringLiteral("%1 > %2").arg(right).arg(table->viewport()->width())));
    }

    void screenshotKeepsItsWidthWithLongNames() {
        QTemporaryDir dir;
        const QString file = long_name_file(dir);
        const QString out = dir.filePath(QStringLiteral("long.png"));
        QProcess process;
        process.start(QStringLiteral(NNSCOPE_GUI),
                      {QStringLiteral("--screenshot"), out, QStringLiteral("--width"),
                       QStringLiteral("1600"), file});
        QVERIFY(process.waitForFinished(60000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        QCOMPARE(QImage(out).size(), QSize(1600, 1000));
    }

    void usableAt1024x700() {
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(wait_shown(window, resource("cnn.safetensors")));
        QTRY_VERIFY_WITH_TIMEOUT(window.browser()->currentSnapshot(), 20000);
        QTest::qWait(50);
        QCOMPARE(window.size(), QSize(1024, 700));
        // The panes sit side by side without overlapping, each with room to be read.
        const auto* page = window.browser();
        const auto rect_of = [&](const QWidget* w) {
            return QRect(w->mapTo(&window, QPoint(0, 0)), w->size());
        };
        const QRect tree = rect_of(page->moduleView());
        const QRect table = rect_of(page->tensorTable());
        const QRect plots = rect_of(page->tensorView());
        const QRect summary = rect_of(page->summaryView());
        for (const QRect& r : {tree, table, plots, summary})
            QVERIFY2(r.width() >= 120 && r.height() >= 120,
                     qPrintable(QStringLiteral("%1x%2").arg(r.width()).arg(r.height())));
        QVERIFY(!tree.intersects(table) && !table.intersects(plots) && !plots.intersects(summary));
        QVERIFY(plots.width() >= 500 && plots.height() >= 250);
        QVERIFY(window.rect().contains(summary));
    }

    void escapeInTheFilterClearsIt() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(wait_shown(window, resource("mlp.safetensors")));
        QLineEdit* filter = window.browser()->filterEdit();
        filter->setFocus();
        QTest::keyClicks(filter, QStringLiteral("weight"));
        QCOMPARE(window.browser()->moduleFilter()->filter()->text(), QStringLiteral("weight"));
        QTest::keyClick(filter, Qt::Key_Escape);
        QCOMPARE(filter->text(), QString());
        QCOMPARE(window.browser()->moduleFilter()->rowCount(
                     window.browser()->moduleFilter()->index(0, 0)),
                 6);
    }

    void screenshotOfABrokenFileFails() {
        QTemporaryDir dir;
        const QString broken = dir.filePath(QStringLiteral("broken.safetensors"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a model at all");
        file.close();
        QProcess process;
        process.start(QStringLiteral(NNSCOPE_GUI), {QStringLiteral("--screenshot"),
                                                    dir.filePath(QStringLiteral("x.png")), broken});
        QVERIFY(process.waitForFinished(60000));
        QVERIFY(process.exitCode() != 0);
        QVERIFY(QString::fromLocal8Bit(process.readAllStandardError())
                    .contains(QStringLiteral("broken.safetensors")));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("x.png"))));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
