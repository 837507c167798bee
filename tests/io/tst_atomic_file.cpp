// io::AtomicFile: a save replaces the target whole or not at all, leaves no temporary behind on
// failure, creates files as a plain open would (the umask decides), names the target and the
// system's reason in its errors, and removes temporaries that killed saves left behind.

#include "io/atomic_file.h"
#include "io/zip_writer.h"
#include "support/files.h"

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace nnscope;
using nnscope::test::read_bytes;
using nnscope::test::write_bytes;

namespace {

// The names in `folder`, sorted.
QStringList names_in(const QString& folder) {
    QStringList names;
    for (const auto& entry : std::filesystem::directory_iterator(folder.toStdString()))
        names << QString::fromStdString(entry.path().filename().string());
    names.sort();
    return names;
}

// A pid that no process has now: a child that has exited and been reaped.
pid_t finished_pid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    return child;
}

QString error_of(const std::function<void()>& action) {
    try {
        action();
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT

private slots:
    void replacesTheTarget() {
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("config.json")).toStdString();
        io::write_file_atomically(target, "first");
        QCOMPARE(read_bytes(target), std::string("first"));
        io::write_file_atomically(target, "second, longer");
        QCOMPARE(read_bytes(target), std::string("second, longer"));
        QCOMPARE(names_in(dir.path()), QStringList{QStringLiteral("config.json")});
    }

    void unfinishedSaveKeepsTheOldFile() {
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("model.safetensors")).toStdString();
        write_bytes(target, "old bytes");
        {
            io::AtomicFile file(target);
            file.write("new bytes that never get committed");
            QVERIFY(std::filesystem::exists(file.temporary()));
            QCOMPARE(file.temporary().parent_path().string(), dir.path().toStdString());
            QVERIFY(file.temporary().filename().string().starts_with(
                "model.safetensors.partial-" + std::to_string(::getpid()) + "-"));
            QCOMPARE(read_bytes(target), std::string("old bytes")); // untouched until commit
        }
        QCOMPARE(read_bytes(target), std::string("old bytes"));
        QCOMPARE(names_in(dir.path()), QStringList{QStringLiteral("model.safetensors")});
    }

    void pathWriterCommit() {
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("plot.png")).toStdString();
        io::AtomicFile file(target);
        file.release_to_path_writer();
        write_bytes(file.temporary().string(), "written by name"); // replaces the file, as libzip
        file.commit();
        QCOMPARE(read_bytes(target), std::string("written by name"));
        QCOMPARE(names_in(dir.path()), QStringList{QStringLiteral("plot.png")});
    }

    void modeFollowsTheUmask() {
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("a.csv")).toStdString();
        const std::string zip = dir.filePath(QStringLiteral("a.pt")).toStdString();
        const mode_t old_mask = ::umask(027);
        io::write_file_atomically(target, "x");
        io::ZipWriter writer(zip); // libzip writes the temporary through one of its own
        writer.add_copy("a/data.pkl", "x");
        writer.finish();
        ::umask(old_mask);
        for (const std::string& file : {target, zip}) {
            struct stat info {};
            QCOMPARE(::stat(file.c_str(), &info), 0);
            QCOMPARE(info.st_mode & 0777, mode_t{0640});
        }
        QCOMPARE(names_in(dir.path()),
                 (QStringList{QStringLiteral("a.csv"), QStringLiteral("a.pt")}));
    }

    void keepsModeAndFollowsLinks() {
        QTemporaryDir dir;
        const std::string target = dir.filePath(QStringLiteral("private.pt")).toStdString();
        write_bytes(target, "old");
        QCOMPARE(::chmod(target.c_str(), 0600), 0);
        const std::string link = dir.filePath(QStringLiteral("link.pt")).toStdString();
        std::filesystem::create_symlink(target, link);
        io::write_file_atomically(link, "new");
        QVERIFY(std::filesystem::is_symlink(link));
        QCOMPARE(read_bytes(target), std::string("new"));
        struct stat info {};
        QCOMPARE(::stat(target.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t{0600});
    }

    void errorsNameTheTargetAndTheReason() {
        QTemporaryDir dir;
        const QString missing_folder = dir.filePath(QStringLiteral("no/such/folder/out.pt"));
        const QString message =
            error_of([&] { io::write_file_atomically(missing_folder.toStdString(), "x"); });
        QVERIFY2(message.contains(missing_folder) &&
                     message.contains(QStringLiteral("No such file or directory")),
                 qPrintable(message));
        QVERIFY(!error_of([&] { io::AtomicFile file(dir.path().toStdString() + "/"); }).isEmpty());
    }

    void abandonedTemporariesAreRemoved() {
        QTemporaryDir dir;
        const std::string folder = dir.path().toStdString();
        const std::string dead = std::to_string(finished_pid());
        const std::string alive = std::to_string(::getpid());
        write_bytes(folder + "/m.pt.partial-" + dead + "-abcdef", "killed save");
        write_bytes(folder + "/m.pt.partial-" + dead + "-abcdef.Xy12Zq", "libzip's, killed");
        write_bytes(folder + "/m.pt.partial-" + alive + "-ghijkl", "a save still running");
        write_bytes(folder + "/other.pt.partial-" + dead + "-abcdef", "another target's");
        write_bytes(folder + "/m.pt.partial-notapid", "not ours");
        io::write_file_atomically(folder + "/m.pt", "saved");
        const QString a = QString::fromStdString("m.pt.partial-" + alive + "-ghijkl");
        const QString o = QString::fromStdString("other.pt.partial-" + dead + "-abcdef");
        QStringList expected{QStringLiteral("m.pt"), a, QStringLiteral("m.pt.partial-notapid"), o};
        expected.sort();
        QCOMPARE(names_in(dir.path()), expected);
    }
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomic_file.moc"
