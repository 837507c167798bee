// The window's settings survive a restart: they are written where Qt puts settings (QSettings,
// here redirected to a temporary folder), and a new window restores the size, every page's
// splitters and the page that was shown; recent files come back and drop the ones since deleted.

#include "ui/main_window.h"
#include "ui/pages/browser_page.h"
#include "ui/workspace.h"

#include <QMenu>
#include <QSettings>
#include <QSplitter>
#include <QtTest>

using nnscope::ui::BrowserPage;
using nnscope::ui::MainWindow;

namespace {

QString resource(const char* name) {
    return QStringLiteral(NNSCOPE_RESOURCES_DIR "/models/") + QLatin1String(name);
}

bool wait_shown(MainWindow& window, const QString& path) {
    QSignalSpy shown(window.browser(), &BrowserPage::documentShown);
    window.openFile(path);
    return shown.wait(20000);
}

// The sizes of the splitters at `which` (indices in the window's widget order).
QList<QList<int>> splitter_sizes(const MainWindow& window, const QList<int>& which) {
    const QList<QSplitter*> splitters = window.findChildren<QSplitter*>();
    QList<QList<int>> sizes;
    for (int i : which)
        sizes << splitters.at(i)->sizes();
    return sizes;
}

QStringList recent_entries(const MainWindow& window) {
    QStringList paths;
    for (const QAction* action : window.recentMenu()->actions())
        if (!action->toolTip().isEmpty() && action->toolTip().startsWith(QLatin1Char('/')))
            paths << action->toolTip();
    return paths;
}

} // namespace

class TestWindowSettings : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(config_.isValid());
        // QSettings' own location, moved: the user's settings are never read or written.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, config_.path());
        QCoreApplication::setOrganizationName(QStringLiteral("nnscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_window_settings"));
    }

    void theFileIsWhereQtPutsIt() {
        QSettings().setValue(QStringLiteral("probe"), 1);
        QSettings().sync();
        QVERIFY2(QSettings().fileName().startsWith(config_.path()),
                 qPrintable(QSettings().fileName()));
        QVERIFY(QFileInfo::exists(QSettings().fileName()));
        QSettings().clear();
    }

    void aRestartRestoresTheWindow() {
        QSettings().clear();
        QTemporaryDir files;
        const QString kept = files.filePath(QStringLiteral("kept.safetensors"));
        const QString gone = files.filePath(QStringLiteral("gone.safetensors"));
        QVERIFY(QFile::copy(resource("cnn.safetensors"), kept));
        QVERIFY(QFile::copy(resource("cnn.safetensors"), gone));

        QList<QList<int>> before;
        QList<int> moved; // which splitters (by index) the test moved
        QString shown_page;
        {
            MainWindow window;
            window.resize(1000, 700);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QVERIFY(wait_shown(window, kept));
            QVERIFY(wait_shown(window, gone));
            QCOMPARE(recent_entries(window), (QStringList{gone, kept}));
            // Every page laid out once, then every splitter moved away from its default: its first
            // pane up to 40 pixels wider.
            for (int i = 0; i < window.workspaceCount(); ++i)
                window.showWorkspace(i);
            QCoreApplication::processEvents();
            const QList<QSplitter*> splitters = window.findChildren<QSplitter*>();
            QVERIFY(splitters.size() >= 4); // browser (2), lab, training, compare
            for (int i = 0; i < splitters.size(); ++i) {
                QList<int> sizes = splitters[i]->sizes();
                // A collapsed pane (the browser's plots before a tensor is chosen) is laid out
                // by the page when it appears, not by the settings.
                if (sizes.size() < 2 || sizes[0] == 0 || sizes[1] == 0) continue;
                const int step = std::min(40, sizes[1] / 2);
                sizes[0] += step;
                sizes[1] -= step;
                splitters[i]->setSizes(sizes);
                moved << i;
            }
            QVERIFY(moved.size() >= 4);
            QCoreApplication::processEvents();
            before = splitter_sizes(window, moved);
            window.showWorkspace(2);
            shown_page = window.currentWorkspace()->title();
            window.close();
        }
        QVERIFY(QFile::remove(gone));

        MainWindow again;
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QCOMPARE(again.size(), QSize(1000, 700));
        QCOMPARE(again.currentWorkspace()->title(), shown_page);
        // A hidden page lays out when first shown: show each so its splitter has its final sizes.
        for (int i = 0; i < again.workspaceCount(); ++i)
            again.showWorkspace(i);
        QCoreApplication::processEvents();
        QCOMPARE(splitter_sizes(again, moved), before);
        // The deleted file is dropped from the menu and from the settings for good.
        QCOMPARE(recent_entries(again), QStringList{kept});
        QCOMPARE(QSettings().value(QStringLiteral("recentFiles")).toStringList(),
                 QStringList{kept});
    }

    void aPageThatIsGoneFallsBackToTheBrowser() {
        QSettings().setValue(QStringLiteral("window/workspace"), QStringLiteral("no such page"));
        MainWindow window;
        QCOMPARE(window.currentWorkspace(), window.browser());
    }

private:
    QTemporaryDir config_;
};

QTEST_MAIN(TestWindowSettings)
#include "tst_window_settings.moc"
