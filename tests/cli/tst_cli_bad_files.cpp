// Bad files get a message that names the file and the problem, and nothing crashes:
//  - unreadable: a model file its reader may not read (run as nobody: root ignores file modes);
//  - locked: Linux locks are advisory, so "locked" means two things here: a file another
//    process holds an exclusive flock on is still read (nnscope never waits on or takes locks),
//    and a save target in a folder the user may not write is refused, naming the target;
//  - vanished: a file deleted between choosing and reading it;
//  - huge: a sparse 64 GB file fails at once, allocating nothing of its size;
//  - full disk: a save that runs out of space (a 1 MB tmpfs in a private mount namespace, and a
//    file size limit, RLIMIT_FSIZE, which needs no privileges) keeps the old target and leaves no
//    temporary;
//  - a data set folder with a missing or a truncated IDX file.

#include "cli/cli_runner.h"
#include "io/safetensors.h"
#include "support/files.h"
#include "workflows/learnable_data.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <grp.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

using namespace nnscope;
using nnscope::test::CliResult;
using nnscope::test::read_bytes;
using nnscope::test::write_bytes;

namespace {

constexpr uid_t kNobody = 65534;

// nnscope-cli `arguments` with `in_child` run in the child between fork and exec.
CliResult run_cli_as(const QStringList& arguments, std::function<void()> in_child) {
    return test::run_cli(arguments, 120000, QProcessEnvironment::systemEnvironment(),
                         std::move(in_child));
}

// The child gives up root for nobody, so that file modes apply to it.
void become_nobody() {
    if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0)
        ::_exit(99);
}

void expect_failure(const CliResult& r, const QString& file, const QString& reason) {
    QVERIFY2(!r.crashed && r.exit_code == 1, qPrintable(test::describe(r)));
    QVERIFY2(r.err.contains(file) && r.err.contains(reason, Qt::CaseInsensitive),
             qPrintable(test::describe(r)));
}

// Files in `folder` whose name holds ".partial-".
int temporaries_in(const std::string& folder) {
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(folder))
        if (entry.path().filename().string().find(".partial-") != std::string::npos) ++n;
    return n;
}

} // namespace

class TestCliBadFiles : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;

    QString path(const char* name) const { return dir_.filePath(QString::fromLatin1(name)); }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        // nobody must reach the files: the folder is searchable by all.
        QVERIFY(std::filesystem::exists(dir_.path().toStdString()));
        std::filesystem::permissions(
            dir_.path().toStdString(),
            std::filesystem::perms::owner_all | std::filesystem::perms::group_exec |
                std::filesystem::perms::others_exec | std::filesystem::perms::group_read |
                std::filesystem::perms::others_read);
        Tensor weight = Tensor::zeros({300, 1000}); // 1.2 MB: more than the full disk holds
        io::save_safetensors(path("good.safetensors").toStdString(), {{"weight", weight}});
        write_bytes(path("old.bin").toStdString(), "the old file");
    }

    void unreadable() {
        if (::getuid() != 0) QSKIP("needs root to run nnscope-cli as another user (nobody)");
        const QString file = path("secret.safetensors");
        QVERIFY(QFile::copy(path("good.safetensors"), file));
        QVERIFY(QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner));
        // The build tree must be reachable by nobody too.
        if (::access(NNSCOPE_CLI, X_OK) != 0) QSKIP("nnscope-cli is not executable");
        const CliResult r = run_cli_as({QStringLiteral("summary"), file}, become_nobody);
        if (r.exit_code == 99 || r.err.contains(QStringLiteral("error while loading")))
            QSKIP("cannot run nnscope-cli as nobody here");
        expect_failure(r, file, QStringLiteral("Permission denied"));
    }

    void locked() {
        // An exclusive flock held by this process does not stop the reader.
        const QString file = path("good.safetensors");
        const int fd = ::open(file.toUtf8().constData(), O_RDONLY);
        QVERIFY(fd >= 0);
        QCOMPARE(::flock(fd, LOCK_EX), 0);
        const CliResult held = test::run_cli({QStringLiteral("summary"), file});
        ::close(fd);
        NNSCOPE_EXPECT_CLI_OK(held);
        QVERIFY(held.out.contains(QStringLiteral("weight")));

        if (::getuid() != 0) QSKIP("needs root to run nnscope-cli as another user (nobody)");
        // A folder the user may not write: the save is refused and names its target.
        const QString folder = path("read-only");
        QVERIFY(QDir().mkpath(folder));
        const QString target = folder + QStringLiteral("/out.pt");
        const CliResult r = run_cli_as({QStringLiteral("convert"), file, target}, become_nobody);
        if (r.exit_code == 99) QSKIP("cannot run nnscope-cli as nobody here");
        expect_failure(r, target, QStringLiteral("Permission denied"));
        QVERIFY(QDir(folder).isEmpty());
    }

    void vanished() {
        const QString file = path("vanished.safetensors");
        QVERIFY(QFile::copy(path("good.safetensors"), file));
        QVERIFY(QFile::remove(file)); // chosen, then deleted before nnscope reads it
        expect_failure(test::run_cli({QStringLiteral("summary"), file}), file,
                       QStringLiteral("No such file or directory"));
        expect_failure(test::run_cli({QStringLiteral("convert"), file, path("x.pt")}), file,
                       QStringLiteral("no such file"));
    }

    void huge_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("reason");
        // All zeros: no format's signature, so each is refused after reading a few bytes.
        QTest::newRow("safetensors")
            << QStringLiteral("huge.safetensors") << QStringLiteral("not a model file");
        QTest::newRow("PyTorch zip")
            << QStringLiteral("huge.pt") << QStringLiteral("not a model file");
        QTest::newRow("ONNX") << QStringLiteral("huge.onnx") << QStringLiteral("larger than 2 GB");
    }

    void huge() {
        QFETCH(QString, name);
        QFETCH(QString, reason);
        const QString file = path(name.toLatin1().constData());
        {
            QFile sparse(file);
            QVERIFY(sparse.open(QIODevice::WriteOnly));
            QVERIFY(sparse.resize(qint64{64} << 30)); // 64 GB of holes: no disk used
        }
        QElapsedTimer clock;
        clock.start();
        const CliResult r = test::run_cli({QStringLiteral("summary"), file});
        const qint64 ms = clock.elapsed();
        QFile::remove(file);
        QVERIFY2(!r.crashed && r.exit_code == 1, qPrintable(test::describe(r)));
        QVERIFY2(r.err.contains(file), qPrintable(test::describe(r)));
        QVERIFY2(r.err.contains(reason), qPrintable(test::describe(r)));
        QVERIFY2(ms < 20000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
        qInfo("%s: refused in %lld ms", qPrintable(name), ms);
    }

    // RLIMIT_FSIZE: a write past 1 MB fails with EFBIG ("File too large"); SIGXFSZ is ignored so
    // that the write returns the error instead of killing the process.
    void fileSizeLimit_data() {
        QTest::addColumn<QString>("target");
        QTest::newRow("safetensors") << QStringLiteral("limited.safetensors");
        QTest::newRow("PyTorch zip") << QStringLiteral("limited.pt");
    }

    void fileSizeLimit() {
        QFETCH(QString, target);
        const QString out = path(target.toLatin1().constData());
        write_bytes(out.toStdString(), "the old file");
        const CliResult r =
            run_cli_as({QStringLiteral("convert"), path("good.safetensors"), out}, [] {
                ::signal(SIGXFSZ, SIG_IGN);
                const rlimit limit{1 << 20, 1 << 20};
                ::setrlimit(RLIMIT_FSIZE, &limit);
            });
        expect_failure(r, out, QStringLiteral("File too large"));
        QCOMPARE(read_bytes(out.toStdString()), std::string("the old file"));
        QCOMPARE(temporaries_in(dir_.path().toStdString()), 0);
    }

    // A real full disk: a 1 MB tmpfs, mounted in a mount namespace of the shell's own, so that
    // nothing outside sees it and it vanishes with the shell. The shell reports what it saw.
    void fullDisk_data() { fileSizeLimit_data(); }

    void fullDisk() {
        QFETCH(QString, target);
        const QString unshare = QStandardPaths::findExecutable(QStringLiteral("unshare"));
        if (::getuid() != 0 || unshare.isEmpty())
            QSKIP("needs root and unshare(1) to mount a small tmpfs");
        const QString disk = path("disk");
        QVERIFY(QDir().mkpath(disk));
        const QString script = QStringLiteral("mount -t tmpfs -o size=1m tmpfs \"$1\" || exit 77\n"
                                              "printf 'the old file' > \"$1/$2\"\n"
                                              "\"$3\" convert \"$4\" \"$1/$2\"; echo \"exit $?\"\n"
                                              "echo \"old: $(cat \"$1/$2\")\"\n"
                                              "echo \"files: $(ls -A \"$1\" | tr '\\n' ' ')\"\n");
        QProcess shell;
        shell.start(unshare, {QStringLiteral("--mount"), QStringLiteral("--propagation"),
                              QStringLiteral("private"), QStringLiteral("sh"), QStringLiteral("-c"),
                              script, QStringLiteral("sh"), disk, target,
                              QStringLiteral(NNSCOPE_CLI), path("good.safetensors")});
        QVERIFY(shell.waitForFinished(120000));
        if (shell.exitCode() == 77 || shell.exitCode() == 1)
            QSKIP("cannot mount a tmpfs here (no CAP_SYS_ADMIN)");
        const QString out = QString::fromUtf8(shell.readAllStandardOutput());
        const QString err = QString::fromUtf8(shell.readAllStandardError());
        const QString report = out + err;
        QVERIFY2(out.contains(QStringLiteral("exit 1\n")), qPrintable(report));
        QVERIFY2(err.contains(disk + QLatin1Char('/') + target) &&
                     err.contains(QStringLiteral("No space left on device")),
                 qPrintable(report));
        QVERIFY2(out.contains(QStringLiteral("old: the old file\n")), qPrintable(report));
        QVERIFY2(out.contains(QStringLiteral("files: ") + target + QStringLiteral(" \n")),
                 qPrintable(report));
    }

    void datasetFolder() {
        const QString folder = path("data");
        QVERIFY(QDir().mkpath(folder + QStringLiteral("/idx")) &&
                QDir().mkpath(folder + QStringLiteral("/news")));
        test::write_learnable_data(folder.toStdString());
        const QString idx = folder + QStringLiteral("/idx");
        auto loader = [&] {
            return test::run_cli({QStringLiteral("loader"), QStringLiteral("--dataset"),
                                  QStringLiteral("mnist:") + idx, QStringLiteral("--batch-size"),
                                  QStringLiteral("64")});
        };
        NNSCOPE_EXPECT_CLI_OK(loader());

        const std::string labels = (idx + QStringLiteral("/train-labels-idx1-ubyte")).toStdString();
        const std::string saved = read_bytes(labels);
        std::filesystem::remove(labels);
        expect_failure(loader(), idx, QStringLiteral("train-labels-idx1-ubyte"));
        write_bytes(labels, saved);

        const std::string images = (idx + QStringLiteral("/train-images-idx3-ubyte")).toStdString();
        std::filesystem::resize_file(images, std::filesystem::file_size(images) - 100);
        expect_failure(loader(), QString::fromStdString(images), QStringLiteral("truncated"));
    }
};

QTEST_GUILESS_MAIN(TestCliBadFiles)
#include "tst_cli_bad_files.moc"
