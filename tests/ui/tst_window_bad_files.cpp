// Bad files in the window: an unreadable file, a huge (sparse 64 GB) one and one deleted between
// choosing and reading each show an error that names the file and the problem, and one deleted
// while it is shown raises the "changed on disk" bar; a save that runs out of room (a file size
// limit) reports it and keeps the old file; after each, the window still opens a good file.

#include "io/safetensors.h"
#include "ui/file_changed_bar.h"
#include "ui/main_window.h"
#include "ui/pages/browser_page.h"
#include "ui/pages/lab_page.h"

#include <QElapsedTimer>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <filesystem>
#include <sys/resource.h>
#include <unistd.h>

using namespace nnscope;
using namespace nnscope::ui;

namespace {

constexpr uid_t kNobody = 65534;

QString good_file() {
    return QStringLiteral(NNSCOPE_RESOURCES_DIR "/models/mlp.safetensors");
}

bool wait_shown(MainWindow& window, const QString& path) {
    QSignalSpy shown(window.browser(), &BrowserPage::documentShown);
    window.openFile(path);
    return shown.wait(20000);
}

// Opens `path`, which must fail: the error shown, naming the file and holding `reason`.
void expect_error(MainWindow& window, const QString& path, const QString& reason) {
    QSignalSpy failed(window.browser(), &BrowserPage::loadFailed);
    window.openFile(path);
    QVERIFY(failed.wait(20000));
    const QString error = window.browser()->lastError();
    QVERIFY2(error.contains(QFileInfo(path).fileName()) &&
                 error.contains(reason, Qt::CaseInsensitive),
             qPrintable(error));
    QVERIFY(window.browser()->errorBox());
    QTRY_VERIFY(window.browser()->errorBox()->isVisible());
    QVERIFY(!window.isBusy());
    window.browser()->errorBox()->close();
    QTRY_VERIFY(!window.browser()->errorBox());
}

// While it lives, this process's effective user is nobody, so file modes apply to its reads
// (glibc changes the ids of every thread, the session's worker too).
class AsNobody {
public:
    AsNobody() { ok_ = ::setegid(kNobody) == 0 && ::seteuid(kNobody) == 0; }
    ~AsNobody() {
        if (::seteuid(0) != 0 || ::setegid(0) != 0) qFatal("cannot become root again");
    }
    bool ok() const { return ok_; }

private:
    bool ok_ = false;
};

} // namespace

class TestWindowBadFiles : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("nnscope-tests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_window_bad_files"));
        QVERIFY(dir_.isValid());
        QVERIFY(QFile::setPermissions(dir_.path(), QFile::ReadOwner | QFile::WriteOwner |
                                                       QFile::ExeOwner | QFile::ReadOther |
                                                       QFile::ExeOther));
    }

    void unreadable() {
        if (::getuid() != 0) QSKIP("needs root to read as another user (nobody)");
        const QString file = dir_.filePath(QStringLiteral("secret.safetensors"));
        QVERIFY(QFile::copy(good_file(), file));
        QVERIFY(QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner));
        MainWindow window;
        window.show();
        {
            AsNobody nobody;
            if (!nobody.ok()) QSKIP("cannot change the effective user here");
            expect_error(window, file, QStringLiteral("Permission denied"));
            if (QTest::currentTestFailed()) return;
            QVERIFY(wait_shown(window, good_file()));
        }
    }

    void huge() {
        const QString file = dir_.filePath(QStringLiteral("huge.safetensors"));
        {
            QFile sparse(file);
            QVERIFY(sparse.open(QIODevice::WriteOnly));
            QVERIFY(sparse.resize(qint64{64} << 30)); // holes: no disk, no memory
        }
        MainWindow window;
        window.show();
        QElapsedTimer clock;
        clock.start();
        expect_error(window, file, QStringLiteral("not a model file"));
        qInfo("a sparse 64 GB file refused in %lld ms", clock.elapsed());
        QFile::remove(file);
        QVERIFY(wait_shown(window, good_file()));
    }

    void vanishedBeforeReading() {
        const QString file = dir_.filePath(QStringLiteral("vanished.safetensors"));
        QVERIFY(QFile::copy(good_file(), file));
        QVERIFY(QFile::remove(file)); // chosen in the dialog, then deleted
        MainWindow window;
        window.show();
        expect_error(window, file, QStringLiteral("no such file"));
        QVERIFY(wait_shown(window, good_file()));
    }

    // The DataLoader lab's JSON save with too little room: RLIMIT_FSIZE below the file's size
    // (SIGXFSZ ignored, so the write fails with EFBIG instead of killing the test).
    void fullDiskOnSave() {
        MainWindow window;
        window.show();
        LabPage* lab = window.findChild<LabPage*>();
        if (!lab) QSKIP("this window has no DataLoader lab");
        const QString file = dir_.filePath(QStringLiteral("loader.json"));
        QCOMPARE(lab->saveJson(0, file), QString());
        QFile saved(file);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QByteArray old = saved.readAll();
        saved.close();
        QVERIFY(old.size() > 64);

        const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit previous{};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &previous), 0);
        const rlimit small{32, previous.rlim_max};
        QCOMPARE(::setrlimit(RLIMIT_FSIZE, &small), 0);
        const QString error = lab->saveJson(0, file);
        ::setrlimit(RLIMIT_FSIZE, &previous);
        std::signal(SIGXFSZ, previous_handler);
        QVERIFY2(error.contains(file) && error.contains(QStringLiteral("File too large")),
                 qPrintable(error));
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(saved.readAll(), old);
        QCOMPARE(QDir(dir_.path()).entryList({QStringLiteral("*.partial-*")}, QDir::Files),
                 QStringList());
        QVERIFY(wait_shown(window, good_file()));
    }

    void deletedWhileOpen() {
        const QString file = dir_.filePath(QStringLiteral("shown.safetensors"));
        QVERIFY(QFile::copy(good_file(), file));
        MainWindow window;
        window.show();
        QVERIFY(wait_shown(window, file));
        QVERIFY(QFile::remove(file));
        QTRY_VERIFY_WITH_TIMEOUT(window.fileChangedBar()->isVisible(), 10000);
        const QString message = window.fileChangedBar()->message();
        QVERIFY2(message.contains(QStringLiteral("shown.safetensors")) &&
                     message.contains(QStringLiteral("deleted")),
                 qPrintable(message));
        QVERIFY(wait_shown(window, good_file()));
    }
};

QTEST_MAIN(TestWindowBadFiles)
#include "tst_window_bad_files.moc"
