// The window when its file changes on disk: a bar says so (non-modal) with a Reload that keeps the
// selected module, tensor, tab and slice and says what it kept or lost; "Watch This File" reloads
// by itself after an atomic rename and after in-place writes stop; Open Recent tells same-named
// files apart, drops deleted ones and never lists the bundled default model.

#include "io/safetensors.h"
#include "support/files.h"
#include "ui/app_paths.h"
#include "ui/file_changed_bar.h"
#include "ui/main_window.h"
#include "ui/pages/browser_page.h"
#include "ui/recent_files.h"
#include "ui/tensor_view/tensor_view.h"

#include <QAction>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QtTest>
#include <filesystem>

using namespace nnscope;
using ui::BrowserPage;
using ui::MainWindow;
using ui::TensorView;

namespace {

namespace fs = std::filesystem;

// features.0.weight is a 4-D conv weight: heatmap slices [i, j] and a kernel grid.
QString write_model(const QTemporaryDir& dir, double value, bool with_conv = true,
                    const char* name = "model.safetensors") {
    const fs::path path = fs::path(dir.path().toStdString()) / name;
    io::NamedTensors tensors;
    if (with_conv) tensors.emplace_back("features.0.weight", Tensor::full({4, 3, 5, 5}, value));
    tensors.emplace_back("features.0.bias", Tensor::full({4}, value));
    tensors.emplace_back("fc.weight", Tensor::full({10, 20}, value));
    io::save_safetensors(path, tensors);
    return QString::fromStdString(path.string());
}

bool open_and_wait(MainWindow& window, const QString& path) {
    QSignalSpy shown(window.browser(), &BrowserPage::documentShown);
    window.openFile(path);
    return shown.wait(20000);
}

bool show_and_open(MainWindow& window, const QString& path) {
    window.show();
    return open_and_wait(window, path);
}

bool select_and_wait(BrowserPage& page, const QString& module, const QString& tensor) {
    if (!page.selectModule(module) || !page.selectTensor(tensor)) return false;
    return QTest::qWaitFor(
        [&] {
            return page.currentSnapshot() && page.currentSnapshot()->name == tensor.toStdString();
        },
        20000);
}

// Heatmap tab, slice [2, 1] of features.0.weight.
bool look_at_a_slice(BrowserPage& page) {
    if (!select_and_wait(page, QStringLiteral("features.0"), QStringLiteral("features.0.weight")))
        return false;
    page.tensorView()->setCurrentTab(TensorView::Tab::Heatmap);
    emit page.tensorView()->sliceRequested({2, 1});
    return QTest::qWaitFor(
        [&] {
            return page.currentSnapshot()->slice.leading == std::vector<std::int64_t>{2, 1};
        },
        20000);
}

void next_clock_tick() {
    QTest::qWait(30); // the mtime moves only when the clock ticks
}

QStringList recent_labels(MainWindow& window) {
    emit window.recentMenu()->aboutToShow();
    QStringList labels;
    for (QAction* action : window.recentMenu()->actions())
        if (!action->isSeparator() && action->text() != QStringLiteral("Clear List"))
            labels << action->text();
    return labels;
}

} // namespace

class TestWindowReload : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true); // never the user's settings
        QCoreApplication::setOrganizationName(QStringLiteral("nnscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_window_reload"));
        QSettings().clear();
    }

    void barAppearsAndReloadKeepsTheSelection() {
        QTemporaryDir dir;
        const QString path = write_model(dir, 1.0);
        MainWindow window(nullptr, false); // leaves the user's settings alone
        QVERIFY(show_and_open(window, path));
        BrowserPage& page = *window.browser();
        QVERIFY(look_at_a_slice(page));
        QVERIFY(!window.fileChangedBar()->isVisible());

        next_clock_tick();
        write_model(dir, 2.0);
        QVERIFY(page.session().checkFile()); // what the window does when it gets the focus
        QTRY_VERIFY(window.fileChangedBar()->isVisible());
        QVERIFY2(window.fileChangedBar()->message().startsWith(
                     QStringLiteral("model.safetensors changed on disk after it was opened")),
                 qPrintable(window.fileChangedBar()->message()));

        window.fileChangedBar()->reloadButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!window.lastReloadReport().isEmpty(), 20000);
        QCOMPARE(window.lastReloadReport(),
                 QStringLiteral("Reloaded model.safetensors: kept module features.0, tensor "
                                "features.0.weight, heatmap, slice [2, 1]"));
        QTRY_VERIFY_WITH_TIMEOUT(
            page.currentSnapshot()->slice.leading == (std::vector<std::int64_t>{2, 1}), 20000);
        QCOMPARE(page.currentSnapshot()->name, std::string("features.0.weight"));
        QCOMPARE(page.currentSnapshot()->stats.mean, 2.0); // the new values
        QCOMPARE(page.tensorView()->currentTab(), TensorView::Tab::Heatmap);
        QVERIFY(!window.fileChangedBar()->isVisible());
    }

    void reloadSaysWhatIsLost() {
        QTemporaryDir dir;
        const QString path = write_model(dir, 1.0);
        MainWindow window(nullptr, false); // leaves the user's settings alone
        QVERIFY(show_and_open(window, path));
        QVERIFY(look_at_a_slice(*window.browser()));
        next_clock_tick();
        write_model(dir, 1.0, false);
        window.reloadAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!window.lastReloadReport().isEmpty(), 20000);
        QCOMPARE(window.lastReloadReport(),
                 QStringLiteral("Reloaded model.safetensors: kept module features.0; tensor "
                                "features.0.weight is gone"));
    }

    void watchReloadsAfterRenameAndAfterQuiet() {
        QTemporaryDir dir;
        const QString path = write_model(dir, 1.0);
        MainWindow window(nullptr, false); // leaves the user's settings alone
        QVERIFY(show_and_open(window, path));
        BrowserPage& page = *window.browser();
        page.session().fileWatch().setQuietPeriodMs(300);
        page.session().fileWatch().setPollIntervalMs(50);
        QVERIFY(window.watchAction()->isEnabled());
        window.watchAction()->setChecked(true);
        QVERIFY(page.session().watching());
        QVERIFY(look_at_a_slice(page));

        // An atomic rename: the watch reloads, the selection stays.
        const QString next = write_model(dir, 3.0, true, "model.tmp");
        fs::rename(next.toStdString(), path.toStdString()); // replaces the old file atomically
        QTRY_VERIFY_WITH_TIMEOUT(page.currentSnapshot()->stats.mean == 3.0, 20000);
        QCOMPARE(page.currentSnapshot()->name, std::string("features.0.weight"));
        QTRY_VERIFY_WITH_TIMEOUT(
            page.currentSnapshot()->slice.leading == (std::vector<std::int64_t>{2, 1}), 20000);

        // Written in place, in pieces: nothing until the writes stop, then the new values.
        const QString other = write_model(dir, 4.0, true, "other.safetensors");
        const std::string bytes = test::read_bytes(other.toStdString());
        QSignalSpy shown(&page, &BrowserPage::documentShown);
        next_clock_tick();
        for (int i = 1; i <= 4; ++i) {
            test::write_bytes(path.toStdString(), bytes.substr(0, bytes.size() * i / 4));
            QTest::qWait(100);
        }
        QTRY_VERIFY_WITH_TIMEOUT(page.currentSnapshot()->stats.mean == 4.0, 20000);
        QCOMPARE(shown.count(), 1);
        QCOMPARE(page.currentSnapshot()->name, std::string("features.0.weight"));
        QVERIFY(!page.errorBox());
    }

    void recentFilesTellApartAndDropTheGone() {
        QSettings().clear();
        QTemporaryDir dir;
        const fs::path root = dir.path().toStdString();
        fs::create_directories(root / "a");
        fs::create_directories(root / "b");
        const fs::path golden = fs::path(NNSCOPE_GOLDEN_DIR) / "pytorch_files/state_dict.pt";
        fs::copy_file(golden, root / "a/pytorch_model.bin");
        fs::copy_file(golden, root / "b/pytorch_model.bin");
        MainWindow window;
        QVERIFY(open_and_wait(window, ui::defaultModelPath()));
        QVERIFY(
            open_and_wait(window, QString::fromStdString((root / "a/pytorch_model.bin").string())));
        QVERIFY(
            open_and_wait(window, QString::fromStdString((root / "b/pytorch_model.bin").string())));
        QCOMPARE(recent_labels(window), (QStringList{QStringLiteral("&1 b/pytorch_model.bin"),
                                                     QStringLiteral("&2 a/pytorch_model.bin")}));
        const QAction* first = window.recentMenu()->actions().first();
        QCOMPARE(first->toolTip(), QString::fromStdString((root / "b/pytorch_model.bin").string()));

        fs::remove(root / "a/pytorch_model.bin");
        QCOMPARE(recent_labels(window), (QStringList{QStringLiteral("&1 pytorch_model.bin")}));
        QCOMPARE(QSettings().value(QStringLiteral("recentFiles")).toStringList().size(), 1);
        window.close();
    }

    void uniqueTails() {
        QCOMPARE(ui::uniquePathTails({QStringLiteral("/x/run1/ckpt/pytorch_model.bin"),
                                      QStringLiteral("/x/run2/ckpt/pytorch_model.bin"),
                                      QStringLiteral("/y/model.pt")}),
                 (QStringList{QStringLiteral("run1/ckpt/pytorch_model.bin"),
                              QStringLiteral("run2/ckpt/pytorch_model.bin"),
                              QStringLiteral("model.pt")}));
    }
};

QTEST_MAIN(TestWindowReload)
#include "tst_window_reload.moc"
