// The Debian package, built from this build tree by CPack and unpacked with dpkg-deb -x into a
// temporary root, works from there: nnscope-cli and nnscope run, and nnscope takes its bundled
// files from the root's /usr/share/nnscope, not from the source tree its build could fall back
// to (NNSCOPE_RESOURCES_DIR), so an install rule that is missing is caught. The desktop entry,
// the AppStream metainfo and the MIME types pass their validators when those are installed
// (packaging/setup.sh installs them). lintian is left to the package preset's .deb: it takes
// longer than this whole test and judges release flags, not a test build's.

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString app_id = QStringLiteral("io.github.nnscope.nnscope");

struct Run {
    int code = -1;
    QString out;
    QString err;
};

// Runs `program` to its end (two minutes at most) without NNSCOPE_RESOURCES_DIR, which would
// override where the binaries look, and with `data_dirs` as XDG_DATA_DIRS when given.
Run run(const QString& program, const QStringList& args, const QString& cwd = {},
        const QString& data_dirs = {}) {
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("NNSCOPE_RESOURCES_DIR"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    if (!data_dirs.isEmpty()) env.insert(QStringLiteral("XDG_DATA_DIRS"), data_dirs);
    process.setProcessEnvironment(env);
    if (!cwd.isEmpty()) process.setWorkingDirectory(cwd);
    process.start(program, args);
    Run result;
    if (!process.waitForFinished(120000)) {
        process.kill();
        process.waitForFinished();
        result.err = program + QStringLiteral(" did not finish");
        return result;
    }
    result.code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromLocal8Bit(process.readAllStandardOutput());
    result.err = QString::fromLocal8Bit(process.readAllStandardError());
    return result;
}

} // namespace

class TestPackage : public QObject {
    Q_OBJECT

    QTemporaryDir work_;
    QString deb_;
    QString root_;

    QString usr(const QString& path) const { return root_ + QStringLiteral("/usr/") + path; }

    // The root's `nnscope --paths` line "resources: DIR".
    QString resourcesInUse() const {
        const Run paths = run(usr(QStringLiteral("bin/nnscope")), {QStringLiteral("--paths")});
        if (paths.code != 0) return QStringLiteral("(--paths failed: %1)").arg(paths.err);
        for (const QString& line : paths.out.split(QLatin1Char('\n')))
            if (line.startsWith(QLatin1String("resources: "))) return line.mid(11);
        return QStringLiteral("(no resources line in: %1)").arg(paths.out);
    }

private slots:
    void initTestCase() {
        if (QStandardPaths::findExecutable(QStringLiteral("dpkg-deb")).isEmpty())
            QSKIP("dpkg-deb is missing (Debian package dpkg): no package to unpack");
        if (QStandardPaths::findExecutable(QStringLiteral("dpkg-shlibdeps")).isEmpty())
            QSKIP("dpkg-shlibdeps is missing (Debian package dpkg-dev, packaging/setup.sh "
                  "installs it): CPack cannot compute the package's dependencies");
        QVERIFY(work_.isValid());
        // -B: the package and CPack's staging tree go to the temporary folder, so that two
        // builds' tests or a package preset never share them.
        const Run cpack =
            run(QStringLiteral(NNSCOPE_CPACK),
                {QStringLiteral("--config"),
                 QStringLiteral(NNSCOPE_BUILD_DIR) + QStringLiteral("/CPackConfig.cmake"),
                 QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"), work_.path()},
                QStringLiteral(NNSCOPE_BUILD_DIR));
        QVERIFY2(cpack.code == 0, qPrintable(cpack.out + cpack.err));
        const QStringList debs =
            QDir(work_.path()).entryList({QStringLiteral("nnscope_*_amd64.deb")}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        deb_ = work_.filePath(debs.first());
        root_ = work_.filePath(QStringLiteral("root"));
        const Run unpack = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-x"), deb_, root_});
        QVERIFY2(unpack.code == 0, qPrintable(unpack.err));
    }

    // The dependencies come from dpkg-shlibdeps, so they name the libraries the binaries link.
    void dependenciesAreComputed() {
        const Run depends = run(QStringLiteral("dpkg-deb"),
                                {QStringLiteral("--field"), deb_, QStringLiteral("Depends")});
        QCOMPARE(depends.code, 0);
        for (const char* package : {"libqt6widgets6", "libqcustomplot", "libzip4", "libonnx1",
                                    "libprotobuf", "libpng16-16", "libc6"})
            QVERIFY2(depends.out.contains(QLatin1String(package)),
                     qPrintable(QStringLiteral("%1 not in Depends: %2")
                                    .arg(QLatin1String(package), depends.out)));
    }

    void installsWhereDebianLooks() {
        for (const QString& path :
             {QStringLiteral("bin/nnscope"), QStringLiteral("bin/nnscope-cli"),
              QStringLiteral("share/nnscope/models/mlp.safetensors"),
              QStringLiteral("share/nnscope/models/cnn.safetensors"),
              QStringLiteral("share/applications/%1.desktop").arg(app_id),
              QStringLiteral("share/metainfo/%1.metainfo.xml").arg(app_id),
              QStringLiteral("share/mime/packages/%1.xml").arg(app_id),
              QStringLiteral("share/icons/hicolor/scalable/apps/%1.svg").arg(app_id),
              QStringLiteral("share/doc/nnscope/copyright"),
              QStringLiteral("share/doc/nnscope/changelog.Debian.gz")})
            QVERIFY2(QFileInfo(usr(path)).isFile(), qPrintable(path));
        if (QStandardPaths::findExecutable(QStringLiteral("help2man")).isEmpty())
            QSKIP("help2man is missing (packaging/setup.sh installs it): no man pages");
        for (const QString& page : {QStringLiteral("nnscope"), QStringLiteral("nnscope-cli")})
            QVERIFY2(QFileInfo(usr(QStringLiteral("share/man/man1/%1.1.gz").arg(page))).size() >
                         1000,
                     qPrintable(page));
    }

    // Each hicolor PNG has the size its folder names (packaging/render_icons.sh renders them).
    void iconSizes() {
        for (int size : {16, 22, 24, 32, 48, 64, 128, 256}) {
            const QImage icon(
                usr(QStringLiteral("share/icons/hicolor/%1x%1/apps/%2.png").arg(size).arg(app_id)));
            QCOMPARE(icon.size(), QSize(size, size));
        }
    }

    void cliRunsFromTheRoot() {
        const Run version =
            run(usr(QStringLiteral("bin/nnscope-cli")), {QStringLiteral("version")});
        QVERIFY2(version.code == 0, qPrintable(version.err));
        QCOMPARE(version.out.trimmed(), QStringLiteral("nnscope-cli 0.1.0"));
        // The installed binary is this build's.
        QCOMPARE(run(QStringLiteral(NNSCOPE_CLI), {QStringLiteral("version")}).out, version.out);
        const Run summary = run(usr(QStringLiteral("bin/nnscope-cli")),
                                {QStringLiteral("summary"),
                                 usr(QStringLiteral("share/nnscope/models/mlp.safetensors")),
                                 QStringLiteral("--json")});
        QVERIFY2(summary.code == 0, qPrintable(summary.err));
        QVERIFY(summary.out.contains(QLatin1String("\"modules\"")));
    }

    // The window from the root uses the root's files: the bundled mlp it shows without FILE is
    // <root>/usr/share/nnscope's, not the source tree's.
    void windowUsesTheRootsFiles() {
        QCOMPARE(run(QStringLiteral(NNSCOPE_GUI), {QStringLiteral("--version")}).out.trimmed(),
                 QStringLiteral("nnscope 0.1.0"));
        QCOMPARE(resourcesInUse(), QDir::cleanPath(usr(QStringLiteral("share/nnscope"))));
        const QString shot = work_.filePath(QStringLiteral("window.png"));
        const Run window = run(usr(QStringLiteral("bin/nnscope")),
                               {QStringLiteral("--screenshot"), shot, QStringLiteral("--width"),
                                QStringLiteral("800")});
        QVERIFY2(window.code == 0, qPrintable(window.err));
        QCOMPARE(QImage(shot).width(), 800);
    }

    // The check above can fail: without the root's share/nnscope the binary looks elsewhere (in a
    // build tree, the source tree; installed alone, nowhere).
    void aMissingInstallRuleIsCaught() {
        const QString share = usr(QStringLiteral("share/nnscope"));
        QVERIFY(QDir().rename(share, share + QStringLiteral(".moved")));
        const QString elsewhere = resourcesInUse();
        QVERIFY(QDir().rename(share + QStringLiteral(".moved"), share));
        QVERIFY2(elsewhere != QDir::cleanPath(share), qPrintable(elsewhere));
    }

    void desktopEntryValidates() {
        const QString tool =
            QStandardPaths::findExecutable(QStringLiteral("desktop-file-validate"));
        if (tool.isEmpty())
            QSKIP("desktop-file-validate is missing (Debian package desktop-file-utils)");
        const Run check =
            run(tool, {usr(QStringLiteral("share/applications/%1.desktop").arg(app_id))});
        QVERIFY2(check.code == 0 && check.out.isEmpty(), qPrintable(check.out + check.err));
    }

    void metainfoValidates() {
        const QString tool = QStandardPaths::findExecutable(QStringLiteral("appstreamcli"));
        if (tool.isEmpty()) QSKIP("appstreamcli is missing (Debian package appstream)");
        const Run check =
            run(tool, {QStringLiteral("validate"), QStringLiteral("--no-net"),
                       QStringLiteral("--pedantic"),
                       usr(QStringLiteral("share/metainfo/%1.metainfo.xml").arg(app_id))});
        QVERIFY2(check.code == 0, qPrintable(check.out + check.err));
    }

    // update-mime-database compiles the root's MIME packages: every glob nnscope claims ends up
    // in the database under nnscope's types.
    void mimeTypesCompile() {
        const QString tool = QStandardPaths::findExecutable(QStringLiteral("update-mime-database"));
        if (tool.isEmpty())
            QSKIP("update-mime-database is missing (Debian package shared-mime-info)");
        // The root's share in XDG_DATA_DIRS, or the tool says on stderr that it is not.
        const Run update =
            run(tool, {usr(QStringLiteral("share/mime"))}, {}, usr(QStringLiteral("share")));
        QVERIFY2(update.code == 0 && update.err.isEmpty(), qPrintable(update.err));
        QFile globs(usr(QStringLiteral("share/mime/globs")));
        QVERIFY(globs.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(globs.readAll());
        for (const char* line :
             {"application/x-safetensors:*.safetensors", "application/x-onnx:*.onnx",
              "application/x-pytorch:*.pt", "application/x-pytorch:*.pth"})
            QVERIFY2(text.contains(QLatin1String(line)), line);
        QFile entry(usr(QStringLiteral("share/applications/%1.desktop").arg(app_id)));
        QVERIFY(entry.open(QIODevice::ReadOnly));
        QVERIFY(entry.readAll().contains(
            "MimeType=application/x-safetensors;application/x-onnx;application/x-pytorch;"));
    }
};

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"
